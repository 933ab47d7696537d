variable "off" {
  type    = string
  default = "0"
}

variable "secret" {
  type      = string
  default   = "1"
  sensitive = true
}

resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    deprovision = "disable" # ERROR: Missing activation block
  }
  object_type "account" {
    intent = "reactions"
    reactions {
      linked    = "synchronize"
      unmatched = "inactivate_resource_object" # ERROR: Missing activation block
      disputed  = "inactivate_resource_object" # ERROR: Missing activation block
    }
  }
  object_type "account" {
    intent      = "duplicate"
    deprovision = "disable"
    activation {
      attribute = "enabled"
      enabled   = "1"
      disabled  = "0"
    }
    activation { # ERROR: Duplicate activation block
      attribute = "active"
      enabled   = "true"
      disabled  = "false"
    }
  }
  object_type "account" {
    intent      = "missing-attribute"
    deprovision = "disable"
    activation { # ERROR: Missing required argument
      enabled  = "1"
      disabled = "0"
    }
  }
  object_type "account" {
    intent = "same-values"
    reactions {
      unlinked = "inactivate_resource_object"
    }
    activation {
      attribute = "state"
      enabled   = "0"
      disabled  = var.off # ERROR: Same activation values
    }
  }
  object_type "account" {
    intent = "bad-values"
    activation {
      attribute = "" # ERROR: Empty activation value
      enabled   = var.secret # ERROR: Sensitive value not allowed here
      disabled  = attributes.state # ERROR: Unknown variable
      flag      = "x" # ERROR: Unsupported argument
    }
  }
}
