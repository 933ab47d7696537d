package synchronization_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/state"
)

// A user whose name changes renames the account; when the resource
// refuses the rename (the new identifier is taken), that is the account's
// error, and the user's own changes still happen.
func TestRefusedRenameDoesNotHoldBackTheUser(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	mustSucceed(t, b.run(t, "hr-import", ""))
	sqliteExec(t, filepath.Join(b.dir, "app.db"), "INSERT INTO accounts (login, full_name, email) VALUES ('robert', 'Someone Else', 'r@x')")
	b.write(t, map[string]string{"hr.csv": strings.Replace(hrCSV, "e2,bob,Bob,Baker", "e2,robert,Bob,Brown", 1)})
	run := b.run(t, "hr-import", "")
	if run.State != state.RunPartial {
		t.Fatalf("run %s, want partial\n%s", run.State, describe(run))
	}
	errs := run.Activities[0].Errors
	if len(errs) != 1 || errs[0].Category != "resource" || !strings.Contains(errs[0].Message, `rename "bob": identifier already in use`) {
		t.Errorf("errors: %+v", errs)
	}
	if u := b.user(t, "robert"); u == nil || u.Attributes["family_name"] != "Brown" {
		t.Errorf("robert = %+v, want the renamed user with the new family name", u)
	}
}

// A filter may name attributes no mapping uses; objects without them see
// null.
func TestFilterOnAnAttributeNoMappingUses(t *testing.T) {
	t.Parallel()
	hr := "emp_id,login,first_name,last_name,email,state,site\n" +
		"e1,alice,Alice,Archer,alice@hr.example,active,prague\n" +
		"e2,bob,Bob,Baker,bob@hr.example,active,\n" +
		"e3,carol,Carol,Cooper,carol@hr.example,active,brno\n"
	b := setup(t, map[string]string{
		"hr.csv":   hr,
		"main.hcl": hrResource("") + appResource(sqliteApp, "") + tasks(`filter = attributes.site != null && attributes["site"] != "brno"`),
	})
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := b.users(t); len(got) != 1 || !strings.HasPrefix(got[0], "alice ") {
		t.Errorf("users %v, want alice only", got)
	}
	if a := run.Activities[0]; a.Skipped != 2 {
		t.Errorf("skipped %d, want 2", a.Skipped)
	}
}
