resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {}
}

task "t" {
  activity "import" {
    name    = "zero"
    resource = resource.hr
    buckets  = 0 # ERROR: Invalid number
  }
  activity "import" {
    name     = "too-many"
    resource = resource.hr
    buckets  = 1025 # ERROR: Invalid number
  }
  activity "import" {
    name     = "text"
    resource = resource.hr
    buckets  = "many" # ERROR: Incorrect attribute value type
  }
  activity "import" {
    name      = "limited"
    resource  = resource.hr
    buckets   = 8
    max_items = 10 # ERROR: Buckets with max_items
  }
  activity "reconciliation" {
    name     = "guarded"
    resource = resource.hr
    buckets  = 8
    thresholds { # ERROR: Buckets with thresholds
      max_deletions = 25
    }
    errors { # ERROR: Buckets with errors { stop_after }
      stop_after = 10
    }
  }
  activity "live_sync" {
    resource = resource.hr
    buckets  = 4 # ERROR: Unsupported argument
  }
  activity "reconciliation" {
    name     = "one-bucket-is-one-pass"
    resource = resource.hr
    buckets  = 1
    thresholds {
      max_deletions = 25
    }
  }
}
