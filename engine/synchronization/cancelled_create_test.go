package synchronization_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// groupedApp is the app resource with its changes grouped for an hour,
// so that nothing queued is carried out during the test.
func groupedApp() string {
	return strings.Replace(appResource(sqliteApp, ""), `connector = "sql"`, `connector = "sql"
  grouping_interval = "1h"`, 1)
}

// TestCancelledCreateLeavesNoAccount: two people imported and terminated
// before propagation have their queued creates and deletes cancel out,
// and their accounts' shadows end dead and unlinked in the import that
// queued the deletes, so a later recompute and reconciliation delete
// nothing — no deletion counted against max_deletions = 1, nothing
// queued, no operations.delete.
func TestCancelledCreateLeavesNoAccount(t *testing.T) {
	t.Parallel()
	recompute := "task \"strict-recompute\" {\n  activity \"recompute\" {\n    thresholds {\n      max_deletions = 1\n    }\n  }\n}\n"
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + groupedApp() + tasks("") + recompute})
	mustSucceed(t, b.run(t, "hr-import", ""))
	if got := appShadow(t, b, "alice"); got != "live linked pending=create" {
		t.Fatalf("alice's account after the first import: %s", got)
	}

	terminated := strings.NewReplacer("alice@hr.example,active", "alice@hr.example,terminated",
		"bob@hr.example,active", "bob@hr.example,terminated").Replace(hrCSV)
	b.write(t, map[string]string{"hr.csv": terminated})
	mustSucceed(t, b.run(t, "hr-import", ""))
	for _, key := range []string{"alice", "bob"} {
		if got := appShadow(t, b, key); got != "dead unlinked pending=" {
			t.Errorf("%s's account after the create was cancelled: %s, want dead, unlinked, nothing pending", key, got)
		}
	}
	if got := appShadow(t, b, "carol"); got != "live linked pending=create" {
		t.Errorf("carol's account: %s", got)
	}

	for _, task := range []string{"strict-recompute", "app-reconcile"} {
		run := b.run(t, task, "")
		mustSucceed(t, run)
		for _, name := range []string{"accounts.delete", "operations.delete", "operations.queued"} {
			if got := stat(run, name); got != 0 {
				t.Errorf("%s: %s = %d, want 0: the accounts never existed\n%s", task, name, got, describe(run))
			}
		}
	}
	for _, key := range []string{"alice", "bob"} {
		if got := appShadow(t, b, key); got != "dead unlinked pending=" {
			t.Errorf("%s's account at the end: %s", key, got)
		}
	}
}

// appShadow describes the app shadow with key: "live linked
// pending=create", "dead unlinked pending=".
func appShadow(t *testing.T, b *bundle, key string) string {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Clean(b.store.Path())+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var dead, linked bool
	var pending sql.NullString
	err = db.QueryRow(`SELECT dead, owner IS NOT NULL, pending FROM shadows WHERE resource = 'app' AND key = ?`, key).Scan(&dead, &linked, &pending)
	if err != nil {
		t.Fatalf("app shadow %s: %v", key, err)
	}
	var ops []string
	for _, op := range []string{"create", "update", "disable", "delete"} {
		ops = append(ops, strings.Repeat(op+",", strings.Count(pending.String, `"Op":"`+op+`"`)))
	}
	return strings.Join([]string{map[bool]string{true: "dead", false: "live"}[dead],
		map[bool]string{true: "linked", false: "unlinked"}[linked],
		"pending=" + strings.TrimSuffix(strings.Join(ops, ""), ",")}, " ")
}

// TestCancelledCreateIsNoDeletion: the import that terminates two people
// whose creates were never carried out deletes no account — the queued
// creates and deletes cancel out — so none counts against its own
// max_deletions = 1, and it succeeds.
func TestCancelledCreateIsNoDeletion(t *testing.T) {
	t.Parallel()
	strict := "task \"strict-import\" {\n  activity \"import\" {\n    resource = resource.hr\n    thresholds {\n      max_deletions = 1\n    }\n  }\n}\n"
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + groupedApp() + tasks("") + strict})
	mustSucceed(t, b.run(t, "hr-import", ""))
	terminated := strings.NewReplacer("alice@hr.example,active", "alice@hr.example,terminated",
		"bob@hr.example,active", "bob@hr.example,terminated").Replace(hrCSV)
	b.write(t, map[string]string{"hr.csv": terminated})
	run := b.run(t, "strict-import", "")
	mustSucceed(t, run)
	for _, key := range []string{"alice", "bob"} {
		if got := appShadow(t, b, key); got != "dead unlinked pending=" {
			t.Errorf("%s's account: %s, want dead, unlinked, nothing pending", key, got)
		}
	}
}
