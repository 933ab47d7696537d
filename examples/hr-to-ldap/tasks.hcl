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

# Keeps shadows of the department groups themselves (known by their cn,
# without their member lists): a group deleted by hand shows up as
# deleted. Nothing is written to the directory.
task "dir-groups" {
  description = "Record the directory's department groups"
  owner       = "iam-team"
  after       = [task.dir-reconcile]

  activity "reconciliation" {
    resource = resource.dir
    kind     = "entitlement"
    intent   = "department"
  }
}
