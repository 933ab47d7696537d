package synchronization_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// TestWriteOnlyPasswordIsNeverKept: an outbound userPassword reaches the
// directory (the person can bind with it), but its value is in no shadow,
// no run change and nowhere in the state file; reconciling the directory
// does not write it again; a new value in the mapping is written once.
func TestWriteOnlyPasswordIsNeverKept(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "people")
	dir := func(password string) string { return ldapTarget(srv.URL, base, password) }
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + dir("first-")})
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := stat(run, "accounts.create"); got != 3 {
		t.Fatalf("accounts.create = %d, want 3\n%s", got, describe(run))
	}
	bind := func(password string) error {
		c, err := goldap.DialURL(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.Bind("uid=alice,"+base, password)
	}
	if err := bind("first-e1"); err != nil {
		t.Fatalf("alice cannot bind with the mapped password: %v", err)
	}
	changes := strings.Join(b.changes(t, run.ID), "\n")
	if !strings.Contains(changes, "userPassword:[]→[(write-only)]") || strings.Contains(changes, "first-e") {
		t.Errorf("changes show the password:\n%s", changes)
	}
	mustNotContain := func(when string) {
		t.Helper()
		for _, name := range []string{"state.db", "state.db-wal"} {
			data, err := os.ReadFile(filepath.Join(filepath.Dir(b.store.Path()), name))
			if err == nil && bytes.Contains(data, []byte("first-e")) {
				t.Errorf("%s: %s holds the password", when, name)
			}
		}
	}
	mustNotContain("after the import")

	again := b.run(t, "dir-reconcile", "")
	mustSucceed(t, again)
	if cs := b.changes(t, again.ID); len(cs) != 0 {
		t.Errorf("reconciling the directory changed %v\n%s", cs, describe(again))
	}

	b.write(t, map[string]string{"main.hcl": hrResource("") + dir("second-")})
	b.apply(t)
	rec := b.run(t, "recompute", "")
	mustSucceed(t, rec)
	if got := stat(rec, "accounts.modify"); got != 3 {
		t.Errorf("recompute after the new mapping: accounts.modify = %d, want 3\n%s", got, describe(rec))
	}
	if err := bind("second-e1"); err != nil {
		t.Errorf("alice cannot bind with the new password: %v", err)
	}
	mustNotContain("after the recompute")
}

// ldapTarget is a directory resource under base with userPassword mapped
// to password and the employee number, and the tasks the tests run.
func ldapTarget(url, base, password string) string {
	return `
resource "dir" {
  connector = "ldap"
  connection {
    url              = "` + url + `"
    bind_dn          = "` + ldaptest.RootDN + `"
    bind_password    = "` + ldaptest.RootPassword + `"
    base_dn          = "` + base + `"
    identifier       = "uid"
    naming_attribute = "uid"
    object_classes   = ["inetOrgPerson"]
  }
  object_type "account" {
    object_class   = "inetOrgPerson"
    provision_when = user.status == "active"
    correlate {
      name = attributes.uid
    }
    outbound {
      uid          = user.name
      cn           = "${user.given_name} ${user.family_name}"
      sn           = user.family_name
      userPassword = "` + password + `${user.employee_number}"
    }
  }
}
task "dir-reconcile" {
  activity "reconciliation" {
    resource = resource.dir
  }
}
task "hr-import" {
  activity "import" {
    resource = resource.hr
  }
}
task "recompute" {
  activity "recompute" {}
}
`
}

// TestStoppedDirectoryLosesNothing: with the directory stopped, an import
// adds its users and leaves the creates pending (resource unreachable);
// once the directory is back, a reconciliation of it carries them out and
// counts them as its changes; the password, which was not kept, is written
// by the same reconciliation when it finds the new entries linked.
func TestStoppedDirectoryLosesNothing(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "people")
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": ldapTarget(srv.URL, base, "pw-") + hrResource("")})
	srv.Stop()
	run := b.run(t, "hr-import", "")
	if got, want := stat(run, "users.add"), int64(4); got != want {
		t.Fatalf("users.add = %d, want %d\n%s", got, want, describe(run))
	}
	if got := stat(run, "accounts.create"); got != 0 || stat(run, "operations.pending") != 3 {
		t.Fatalf("with the directory stopped: want no account created and 3 pending\n%s", describe(run))
	}
	srv.Start(t)
	rec := b.run(t, "dir-reconcile", "")
	mustSucceed(t, rec)
	if got := stat(rec, "accounts.create"); got != 3 {
		t.Errorf("reconciliation: accounts.create = %d, want 3\n%s", got, describe(rec))
	}
	c, err := goldap.DialURL(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind("uid=carol,"+base, "pw-e3"); err != nil {
		t.Errorf("carol's entry is not there with her password: %v", err)
	}
}
