variable "domain" {
  default = "example.com"
}

locals {
  prefix = "x"
}

resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    correlate {
      name = user.name # ERROR: Invalid reference
    }
    inbound {
      name   = lowerr(attributes.login) # ERROR: Call to unknown function
      email  = "${attributes.login}@${var.domian}" # ERROR: Reference to undeclared input variable
      prefix = local.prefx # ERROR: Reference to undeclared local value
      sit    = shadow.situaton # ERROR: Reference to undeclared shadow field
      n      = lower(attributes.a, attributes.b) # ERROR: Too many function arguments
    }
    provision_when = attributes.enabled # ERROR: Invalid reference
  }
}
