package scenario

import (
	"fmt"
	"strings"
)

// ProvisionTable is how the account table of a provisioning scenario is
// declared: the columns ProvisionFiles maps, every one text, the login the
// primary key. The benchmark creates it before the import, and its
// baselines write the same rows into a table declared the same way.
const ProvisionTable = "CREATE TABLE %s (login text PRIMARY KEY, full_name text, email text, department text)"

// ProvisionColumns are the account table's columns, the key first.
var ProvisionColumns = []string{"login", "full_name", "email", "department"}

// ProvisionTarget is the sql resource a provisioning scenario writes
// accounts to.
type ProvisionTarget struct {
	Driver string // "sqlite" or "postgres"
	DSN    string // a file path for SQLite, absolute or relative to the configuration
	Table  string // unquoted; it must exist (ProvisionTable)
}

// ProvisionFiles generates the configuration of an import with
// provisioning as file name → content: the csv resource "hr" of SyncFiles
// reading csvPath, the sql resource "app" writing one account for every
// active user to target (outbound mappings for the four columns of
// ProvisionColumns, provision_when the user is active), and the tasks of
// SyncFiles, whose hr-import imports with provisioning.
func ProvisionFiles(csvPath string, threads int, target ProvisionTarget) map[string]string {
	files := SyncFiles(csvPath, threads)
	files["resources.hcl"] += fmt.Sprintf(provisionResource, target.Driver, target.DSN, target.Table,
		`"`+strings.Join(ProvisionColumns, `", "`)+`"`)
	return files
}

const provisionResource = `
resource "app" {
  connector   = "sql"
  description = "The application's account table"

  connection {
    driver  = %q
    dsn     = %q
    table   = %q
    key     = "login"
    columns = [%s]
  }

  object_type "account" {
    provision_when = user.status == "active"

    correlate {
      name = attributes.login
    }

    outbound {
      login      = user.name
      full_name  = "${user.given_name} ${user.family_name}"
      email      = user.email
      department = user.department
    }
  }
}
`

// HRAccount is the account row provisioning gives a person of the export.
type HRAccount struct {
	Login, FullName, Email, Department string
}

// Accounts calls yield with the account of every active person of the
// export (not the variant), in row order, until yield returns false:
// what provisioning from ProvisionFiles writes.
func (h HR) Accounts(yield func(HRAccount) bool) {
	var line []byte
	for i := range h.Rows {
		if hrTerminated(i) {
			continue
		}
		line = hrRow(line[:0], i, false)
		f := strings.Split(strings.TrimSuffix(string(line), "\n"), ",")
		// emp_id, login, first_name, last_name, email, department, state
		a := HRAccount{Login: strings.ToLower(f[1]), FullName: f[2] + " " + f[3], Email: f[4], Department: f[5]}
		if !yield(a) {
			return
		}
	}
}

// Active is how many people of the export are active: the accounts
// provisioning creates.
func (h HR) Active() int { return h.Rows - h.Terminated() }
