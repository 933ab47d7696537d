resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {}
}

task "t" {
  activity "imprt" { # ERROR: Unknown activity type
    resource = resource.hr
  }
  activity "import" {
    resource = resource.hr
    skip     = ["resource_objects"] # ERROR: Unsupported argument
    command  = "true" # ERROR: Unsupported argument
  }
  activity "reconciliation" {
    resource = resource.hr
    skip     = ["operation_completion", "remaining_shadow"] # ERROR: Invalid value
  }
  activity "reconciliation" {
    name     = "all-skipped"
    resource = resource.hr
    skip     = ["operation_completion", "resource_objects", "remaining_shadows"] # ERROR: Every stage skipped
  }
  activity "exec" { # ERROR: Missing required argument
    args = ["x"]
  }
  activity "live_sync" { # ERROR: Unknown object type
    resource = resource.hr
    kind     = "group" # no such object type
  }
}
