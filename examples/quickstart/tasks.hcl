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

task "hr-export-check" {
  description = "Check that the HR export is there and say how many people it lists"
  owner       = "iam-team"
  schedule    = schedule.hourly

  # exec runs a command in the configuration directory, without a shell
  # unless you name one. This one writes nothing, so running it again
  # changes nothing.
  activity "exec" {
    command = "sh"
    args    = ["-c", "test -s data/hr.csv && echo \"data/hr.csv lists $(($(wc -l < data/hr.csv) - 1)) people\""]
    timeout = "1m"
  }
}
