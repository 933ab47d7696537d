package synchronization_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector/connectortest"
)

// TestMembershipsInSQLTable: on PostgreSQL and MariaDB, accounts in one
// table and their department groups as rows of a membership table; a move
// is one row inserted and one deleted; a row added by hand is removed by
// a non-tolerant association; a terminated user's rows go before the
// account.
func TestMembershipsInSQLTable(t *testing.T) {
	t.Parallel()
	for _, tg := range serverTargets {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			conn, db, _ := tg.connection(t, tg.dsn(t))
			members := connectortest.UniqueName("members")
			if _, err := db.Exec("CREATE TABLE " + members + " (grp varchar(100) NOT NULL, login varchar(100) NOT NULL)"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Exec("DROP TABLE " + members) })
			app := strings.Replace(appResource(conn, `
    association "department" {
      entitlement = "department"
      groups      = [user.department]
      tolerant    = false
    }`), `  object_type "account" {`, `  object_type "entitlement" {
    intent = "department"
    group {
      container        = "`+members+`"
      name_attribute   = "grp"
      member_attribute = "login"
      declared         = ["engineering", "sales"]
    }
  }
  object_type "account" {`, 1)
			hr := strings.Replace(hrResource(""), `      status `, `      department      = attributes.department
      status `, 1)
			csv := "emp_id,login,first_name,last_name,email,department,state\n" +
				"e1,alice,Alice,Archer,alice@hr.example,engineering,active\n" +
				"e2,bob,Bob,Baker,bob@hr.example,sales,active\n"
			b := setup(t, map[string]string{"hr.csv": csv, "main.hcl": hr + app + tasks("")})
			rows := func() []string { return queryRows(t, db, "SELECT grp, login FROM "+members) }
			mustSucceed(t, b.run(t, "hr-import", ""))
			if d := diffLines([]string{"grp=engineering login=alice", "grp=sales login=bob"}, rows()); d != "" {
				t.Errorf("after the import:\n%s", d)
			}
			if _, err := db.Exec(fmt.Sprintf("INSERT INTO %s (grp, login) VALUES ('sales', 'alice')", members)); err != nil {
				t.Fatal(err)
			}
			b.write(t, map[string]string{"hr.csv": strings.Replace(strings.Replace(csv, "Baker,bob@hr.example,sales,active", "Baker,bob@hr.example,engineering,active", 1),
				"alice@hr.example,engineering,active", "alice@hr.example,engineering,terminated", 1)})
			run := b.run(t, "hr-import", "")
			mustSucceed(t, run)
			if d := diffLines([]string{"grp=engineering login=bob"}, rows()); d != "" {
				t.Errorf("after the move and the termination:\n%s", d)
			}
			want := []string{
				"account delete alice app/alice",
				"membership add bob engineering member:[]→[bob]",
				"membership remove alice engineering member:[alice]→[]",
				"membership remove alice sales member:[alice]→[]",
				"membership remove bob sales member:[bob]→[]",
				"user disable alice status:[active]→[disabled]",
				"user modify bob department:[sales]→[engineering]",
			}
			if d := diffLines(want, b.changes(t, run.ID)); d != "" {
				t.Errorf("changes:\n%s", d)
			}
		})
	}
}
