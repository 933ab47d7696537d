task "hr-import" {
  description = "Import HR accounts into users"
  owner       = "iam-team"
  schedule    = schedule.nightly

  retry {
    attempts = 3
    backoff  = "1m"
  }

  activity "import" {
    resource = resource.hr
    kind     = "account"
  }
}

task "app-reconcile" {
  description = "Compare application accounts with what users say they should be"
  owner       = "iam-team"
  after       = [task.hr-import]
  mode        = "preview"

  activity "reconciliation" {
    resource = resource.app
    kind     = "account"
    skip     = ["operation_completion"]

    thresholds {
      max_deletions = 25
    }

    errors {
      action     = "continue"
      stop_after = 100
    }
  }
}

task "heartbeat" {
  description = "Record that the identity pipeline is alive"
  owner       = "iam-team"
  schedule    = schedule.hourly

  activity "exec" {
    command = "sh"
    args    = ["-c", "date -u +%Y-%m-%dT%H:%M:%SZ >> heartbeat.log"]
    timeout = "1m"
  }
}
