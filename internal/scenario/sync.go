package scenario

import "fmt"

// Names in the configuration SyncFiles generates.
const (
	SyncResource      = "hr"
	SyncImportTask    = "hr-import"
	SyncReconcileTask = "hr-reconcile"
)

// SyncFiles generates the configuration of a whole synchronization
// scenario as file name → content: one csv resource "hr" reading csvPath
// (relative to the configuration directory) in the layout HR writes, with
// correlation on employee_number, seven inbound mappings and the reactions
// of an authoritative source, and two tasks, hr-import and hr-reconcile,
// whose activities use threads workers.
func SyncFiles(csvPath string, threads int) map[string]string {
	return map[string]string{
		"resources.hcl": fmt.Sprintf(syncResource, SyncResource, csvPath),
		"tasks.hcl": fmt.Sprintf(syncTasks,
			SyncImportTask, SyncResource, threads,
			SyncReconcileTask, SyncResource, threads),
	}
}

const syncResource = `resource %q {
  connector   = "csv"
  description = "Generated HR export"

  connection {
    path       = %q
    identifier = "emp_id"
  }

  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }

    inbound {
      name            = lower(attributes.login)
      given_name      = attributes.first_name
      family_name     = attributes.last_name
      email           = attributes.email
      employee_number = attributes.emp_id
      department      = attributes.department
      status          = attributes.state == "terminated" ? "disabled" : "active"
    }

    reactions {
      unmatched = "add_focus"
      deleted   = "inactivate_focus"
    }
  }
}
`

const syncTasks = `task %q {
  activity "import" {
    resource = resource.%s
    threads  = %d
  }
}

task %q {
  activity "reconciliation" {
    resource = resource.%s
    threads  = %d
  }
}
`
