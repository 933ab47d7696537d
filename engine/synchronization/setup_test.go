package synchronization_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
	_ "modernc.org/sqlite"
)

// bundle is a scenario: a configuration directory with its data files, a
// state store with the configuration applied, and helpers to run tasks
// and look at the results.
type bundle struct {
	ctx   context.Context
	dir   string
	store *state.Store
}

// setup writes files (name → content) into a new configuration directory
// and applies it to a new store.
func setup(t testing.TB, files map[string]string) *bundle {
	t.Helper()
	b := &bundle{ctx: context.Background(), dir: t.TempDir()}
	b.write(t, files)
	st, err := state.Open(b.ctx, filepath.Join(t.TempDir(), "state.db"), state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b.store = st
	b.apply(t)
	return b
}

func (b *bundle) write(t testing.TB, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(b.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func (b *bundle) apply(t testing.TB) {
	t.Helper()
	cfg, diags := config.LoadDir(b.dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	snap, err := b.store.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	desired, err := planner.Desired(cfg, "", snap.Key)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planner.Compute(desired, snap, planner.Options{Now: time.Now(), AllowDestroy: true, Moves: planner.MovesFromConfig(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.Apply(b.ctx, plan.ApplyRequest(desired, "tester")); err != nil {
		t.Fatal(err)
	}
}

// run runs task now in mode ("" for the task's) and returns the
// finished run.
func (b *bundle) run(t testing.TB, task, mode string) *state.Run {
	t.Helper()
	snap, err := b.store.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(b.dir, config.LoadOptions{}, snap)
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.EnqueueManual(b.ctx, b.store, cat, task, config.Mode(mode), "tester")
	if err != nil {
		t.Fatal(err)
	}
	done, err := runner.RunForeground(b.ctx, b.store, cat, run.ID, "test:1:1", nil)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

// mustSucceed fails the test unless run succeeded.
func mustSucceed(t testing.TB, run *state.Run) {
	t.Helper()
	if run.State != state.RunSucceeded {
		t.Fatalf("run %d %s: %s\n%s", run.ID, run.State, run.Error, describe(run))
	}
}

func describe(run *state.Run) string {
	var b strings.Builder
	for _, a := range run.Activities {
		fmt.Fprintf(&b, "%s %s: %d ok %d failed %d skipped %v\n", a.Name, a.State, a.Success, a.Failure, a.Skipped, a.Statistics)
		for _, st := range a.Stages {
			fmt.Fprintf(&b, "  stage %s %s: %d ok %d failed %v %s\n", st.Name, st.State, st.Success, st.Failure, st.Statistics, st.Error)
		}
		for _, e := range a.Errors {
			fmt.Fprintf(&b, "  error [%s] %s: %s\n", e.Category, e.Item, e.Message)
		}
	}
	return b.String()
}

// stat returns statistic name of the run's first activity.
func stat(run *state.Run, name string) int64 {
	return run.Activities[0].Statistics[name]
}

// users returns "name status attr=value…" for every user, by name.
func (b *bundle) users(t testing.TB) []string {
	t.Helper()
	var out []string
	err := b.store.UsersEach(b.ctx, func(u *state.User) error {
		line := u.Name + " " + u.Status
		keys := make([]string, 0, len(u.Attributes))
		for k := range u.Attributes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			line += " " + k + "=" + u.Attributes[k]
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (b *bundle) user(t testing.TB, name string) *state.User {
	t.Helper()
	u, err := b.store.UserGet(b.ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// changes returns the run's changes as "object op user identifier".
func (b *bundle) changes(t testing.TB, runID int64) []string {
	t.Helper()
	cs, _, err := b.store.RunChanges(b.ctx, runID, 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		s := c.Object + " " + c.Op + " " + c.User
		switch c.Object {
		case "account":
			s += " " + c.Resource + "/" + c.Identifier
		case "membership":
			s += " " + c.Identifier
		}
		slices.SortFunc(c.Attributes, func(a, b state.AttributeChange) int { return strings.Compare(a.Name, b.Name) })
		for _, a := range c.Attributes {
			s += fmt.Sprintf(" %s:%v→%v", a.Name, a.Before, a.After)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// rows returns "col=value …" for every row of a table in a SQLite file,
// sorted.
func sqliteRows(t testing.TB, path, query string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return queryRows(t, db, query)
}

func queryRows(t testing.TB, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for i, v := range vals {
			if v.Valid {
				parts = append(parts, cols[i]+"="+v.String)
			}
		}
		out = append(out, strings.Join(parts, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// dump returns the repository tables of the store, for byte-for-byte
// comparisons.
func (b *bundle) dump(t testing.TB) string {
	t.Helper()
	db, err := sql.Open("sqlite", b.store.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, q := range []string{
		"SELECT id, name, status, attributes, created_at, updated_at FROM users ORDER BY id",
		"SELECT * FROM user_keys ORDER BY 1, 2, 3",
		"SELECT * FROM shadows ORDER BY id",
	} {
		out = append(out, strings.Join(queryRows(t, db, q), "\n"))
	}
	return strings.Join(out, "\n--\n")
}

func fileBytes(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func diffLines(want, got []string) string {
	if slices.Equal(want, got) {
		return ""
	}
	return fmt.Sprintf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
}

// farFuture makes every pending operation due.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
