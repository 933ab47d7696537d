package synchronization_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncline/syncline/state"
)

// people returns an HR file with n active people.
func people(n int) string {
	var b strings.Builder
	b.WriteString("emp_id,login,first_name,last_name,email,state\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "e%d,user%d,User,Number%d,user%d@hr.example,active\n", i, i, i, i)
	}
	return b.String()
}

func TestThresholdsStopAtExactlyN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		threshold string
		task      string
		wantUsers int
		wantRows  int
		prepare   func(t *testing.T, b *bundle)
	}{
		{"max_creations counts users and accounts", "thresholds {\n max_creations = 7\n}", "hr-import", 3, 3, nil},
		{"max_deletions stops deprovisioning", "thresholds {\n max_deletions = 2\n}", "hr-reconcile", 10, 8, func(t *testing.T, b *bundle) {
			// Everyone leaves: each would be disabled and lose the account.
			b.write(t, map[string]string{"hr.csv": strings.ReplaceAll(people(10), ",active", ",terminated")})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, map[string]string{
				"hr.csv":   people(10),
				"main.hcl": hrResource("") + appResource(sqliteApp, "") + tasks(tt.threshold),
			})
			if tt.prepare != nil {
				// Import without thresholds first.
				b.write(t, map[string]string{"main.hcl": hrResource("") + appResource(sqliteApp, "") + tasks("")})
				b.apply(t)
				mustSucceed(t, b.run(t, "hr-import", ""))
				b.write(t, map[string]string{"main.hcl": hrResource("") + appResource(sqliteApp, "") + tasks(tt.threshold)})
				b.apply(t)
				tt.prepare(t, b)
			}
			run := b.run(t, tt.task, "")
			if run.State != state.RunFailed || !strings.Contains(run.Error, "stopped before exceeding max_") {
				t.Fatalf("run %s: %q, want failed by the threshold\n%s", run.State, run.Error, describe(run))
			}
			if got := len(b.users(t)); got != tt.wantUsers {
				t.Errorf("%d users, want %d", got, tt.wantUsers)
			}
			rows := sqliteRows(t, filepath.Join(b.dir, "app.db"), "SELECT login FROM accounts")
			if len(rows) != tt.wantRows {
				t.Errorf("%d accounts, want %d: %v", len(rows), tt.wantRows, rows)
			}
		})
	}
}

func TestObjectErrorsAreTheObjects(t *testing.T) {
	t.Parallel()
	// Row e2 has no login: its name mapping fails. Row e3 has no emp_id
	// in a column the correlation uses.
	hr := `emp_id,login,first_name,last_name,email,state,badge
e1,alice,Alice,Archer,alice@hr.example,active,b1
e2,,Bob,Baker,bob@hr.example,active,b2
e3,carol,Carol,Cooper,carol@hr.example,active,
e4,dave,Dave,Dawson,dave@hr.example,active,b4
`
	hrBadge := strings.Replace(hrResource(""), "employee_number = attributes.emp_id\n    }", "badge = attributes.badge\n    }", 1)
	hrBadge = strings.Replace(hrBadge, "name            = lower(attributes.login)", "name            = lower(attributes.login)\n      badge           = attributes.badge", 1)
	tests := []struct {
		name       string
		policy     string
		wantState  state.RunState
		wantUsers  int
		wantErrors []string
	}{
		{"continue", "", state.RunPartial, 2, []string{"[correlation] e3", "[mapping] e2"}},
		{"stop", "errors {\n action = \"stop\"\n}", state.RunFailed, 1, []string{"[mapping] e2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, map[string]string{"hr.csv": hr, "main.hcl": hrBadge + appResource(sqliteApp, "") + tasks(tt.policy)})
			run := b.run(t, "hr-import", "")
			if run.State != tt.wantState {
				t.Fatalf("run %s (%s), want %s\n%s", run.State, run.Error, tt.wantState, describe(run))
			}
			if got := len(b.users(t)); got != tt.wantUsers {
				t.Errorf("%d users, want %d: %v", got, tt.wantUsers, b.users(t))
			}
			var got []string
			for _, e := range run.Activities[0].Errors {
				got = append(got, "["+e.Category+"] "+e.Item)
			}
			if d := diffLines(tt.wantErrors, sorted(got)); d != "" {
				t.Errorf("errors:\n%s\n%s", d, describe(run))
			}
		})
	}
}

func TestDisputedAndEmptyCorrelationLinkNobody(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	// Two users already claim employee number e1.
	err := b.store.RepositoryWrite(b.ctx, func(r *state.RepositoryTx) error {
		for _, name := range []string{"twin1", "twin2"} {
			u := &state.User{Name: name, Status: state.UserActive, Attributes: map[string]string{"employee_number": "e1"}}
			if err := r.InsertUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := stat(run, "situation.disputed"); got != 1 {
		t.Errorf("situation.disputed = %d, want 1\n%s", got, describe(run))
	}
	if u := b.user(t, "alice"); u != nil {
		t.Errorf("a disputed object created user %+v", u)
	}
	for _, name := range []string{"twin1", "twin2"} {
		shs, err := b.store.UserShadows(b.ctx, b.user(t, name).ID)
		if err != nil || len(shs) != 0 {
			t.Errorf("%s got linked: %v %v", name, shs, err)
		}
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// A user name that is taken by a user the object does not correlate to
// is the object's error, in preview and in full mode alike.
func TestTakenNameIsTheObjectsError(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"preview", "full"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			b := hrToApp(t)
			err := b.store.RepositoryWrite(b.ctx, func(r *state.RepositoryTx) error {
				return r.InsertUser(&state.User{Name: "bob", Status: state.UserActive, Attributes: map[string]string{"employee_number": "x9"}})
			})
			if err != nil {
				t.Fatal(err)
			}
			run := b.run(t, "hr-import", mode)
			errs := run.Activities[0].Errors
			if run.State != state.RunPartial || len(errs) != 1 || errs[0].Item != "e2" || errs[0].Category != "repository" ||
				!strings.Contains(errs[0].Message, `a user named "bob" already exists but the object does not correlate to it`) {
				t.Fatalf("run %s, errors %+v", run.State, errs)
			}
			if mode == "full" && len(b.users(t)) != 4 {
				t.Errorf("users: %v", b.users(t))
			}
		})
	}
}

// Two objects of one batch that correlate on the same value never make
// two users: the second finds the user the first added.
func TestSameCorrelationValueInOneBatch(t *testing.T) {
	t.Parallel()
	hr := `emp_id,login,first_name,last_name,email,state
e1,alice,Alice,Archer,shared@hr.example,active
e2,alice2,Alice,Archer,shared@hr.example,active
e3,bob,Bob,Baker,bob@hr.example,active
`
	byEmail := strings.Replace(hrResource(""), "employee_number = attributes.emp_id\n    }", "email = attributes.email\n    }", 1)
	b := setup(t, map[string]string{"hr.csv": hr, "main.hcl": byEmail + appResource(sqliteApp, "") + tasks("")})
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := b.users(t); len(got) != 2 {
		t.Errorf("users %v, want alice and bob only", got)
	}
	if got := stat(run, "situation.disputed"); got != 1 {
		t.Errorf("situation.disputed = %d, want 1\n%s", got, describe(run))
	}
}
