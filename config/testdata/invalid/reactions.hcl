resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    deprovision = "destroy" # ERROR: Invalid value
    reactions {
      unmatched = "link" # ERROR: Invalid value
      deleted   = "add_focus" # ERROR: Invalid value
      linked    = "synchronise" # ERROR: Invalid value
      orphaned  = "none" # ERROR: Unsupported argument
    }
  }
  object_type "account" { # ERROR: Duplicate object type
  }
}
