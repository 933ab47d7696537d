task "hr-import" {
  description = "Import HR people into users, and provision their directory entries"
  owner       = "iam-team"

  activity "import" {
    resource = resource.hr
    kind     = "account"
  }
}

task "dir-reconcile" {
  description = "Compare the directory's entries with what users say they should be"
  owner       = "iam-team"
  after       = [task.hr-import]

  activity "reconciliation" {
    resource = resource.dir
    kind     = "account"

    thresholds {
      max_deletions = 25
    }
  }
}
