package synchronization_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/state"
)

// peopleCSV is an HR file of the people numbered from, to (inclusive);
// changed ones get another family name.
func peopleCSV(from, to int, changed func(int) bool) string {
	var b strings.Builder
	b.WriteString("emp_id,login,first_name,last_name,email,state\n")
	for i := from; i <= to; i++ {
		last := "Person"
		if changed != nil && changed(i) {
			last = "Changed"
		}
		fmt.Fprintf(&b, "e%04d,p%04d,P%d,%s,p%04d@hr.example,active\n", i, i, i, last, i)
	}
	return b.String()
}

// bucketScenario is hrToApp with extra in every activity.
func bucketScenario(t *testing.T, extra string) *bundle {
	return setup(t, map[string]string{
		"hr.csv":   peopleCSV(1, 200, nil),
		"main.hcl": hrResource("") + appResource(sqliteApp, "") + tasks(extra),
	})
}

// outcome is what a run did, as text: each activity's and stage's counts
// and statistics (their output aside: a bucketed run says how its buckets
// went).
func outcome(run *state.Run) string {
	var b strings.Builder
	fmt.Fprintf(&b, "run %s\n", run.State)
	for _, a := range run.Activities {
		fmt.Fprintf(&b, "%s %s total=%d ok=%d failed=%d skipped=%d %v\n", a.Name, a.State, a.Total, a.Success, a.Failure, a.Skipped, a.Statistics)
		for _, st := range a.Stages {
			fmt.Fprintf(&b, "  %s %s total=%d ok=%d failed=%d skipped=%d %v\n", st.Name, st.State, st.Total, st.Success, st.Failure, st.Skipped, st.Statistics)
		}
	}
	return b.String()
}

// TestBucketedReconciliationEqualsOnePass: an import and a
// reconciliation split into 4 buckets leave the same users, accounts and
// run changes, with the same counts, as the same work in one pass; the
// remaining shadows are processed once.
func TestBucketedReconciliationEqualsOnePass(t *testing.T) {
	t.Parallel()
	one := bucketScenario(t, "threads = 2")
	four := bucketScenario(t, "threads = 2\nbuckets = 4")
	changed := peopleCSV(16, 212, func(i int) bool { return i%20 == 0 }) // 15 gone, 12 new, some changed
	var runs [2][2]*state.Run
	for i, b := range []*bundle{one, four} {
		runs[i][0] = b.run(t, "hr-import", "")
		mustSucceed(t, runs[i][0])
		b.write(t, map[string]string{"hr.csv": changed})
		runs[i][1] = b.run(t, "hr-reconcile", "")
		mustSucceed(t, runs[i][1])
	}
	for j, name := range []string{"import", "reconciliation"} {
		if got, want := outcome(runs[1][j]), outcome(runs[0][j]); got != want {
			t.Errorf("%s in buckets:\n%s\nin one pass:\n%s", name, got, want)
		}
		if got, want := four.changes(t, runs[1][j].ID), one.changes(t, runs[0][j].ID); !slices.Equal(got, want) {
			t.Errorf("%s changes differ:\n%s", name, diffLines(want, got))
		}
	}
	if d := diffLines(one.users(t), four.users(t)); d != "" {
		t.Errorf("users:\n%s", d)
	}
	q := "SELECT login, full_name, email FROM accounts"
	if d := diffLines(sqliteRows(t, filepath.Join(one.dir, "app.db"), q), sqliteRows(t, filepath.Join(four.dir, "app.db"), q)); d != "" {
		t.Errorf("accounts:\n%s", d)
	}
	rs := runs[1][1].Activities[0].Stages
	if len(rs) != 3 || rs[2].Statistics["situation.deleted"] != 15 || rs[2].Total != 15 {
		t.Errorf("remaining_shadows: %+v", rs)
	}
	if got := runs[1][1].Activities[0].Output["buckets"]; got != "4/4 done" {
		t.Errorf("output buckets = %q, want 4/4 done", got)
	}
}

// TestBucketOfADeadClaimerIsRedoneOnce: a claimer synchronized bucket 0
// (its users and accounts committed) and died before recording it. The
// run claims the bucket again once its lease ran out and redoes it:
// every new person is added once, the redone bucket finds them
// unchanged.
func TestBucketOfADeadClaimerIsRedoneOnce(t *testing.T) {
	t.Parallel()
	b := bucketScenario(t, "buckets = 4")
	mustSucceed(t, b.run(t, "hr-import", ""))
	b.write(t, map[string]string{"hr.csv": peopleCSV(1, 240, nil)}) // 40 new people

	snap, err := b.store.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(b.dir, config.LoadOptions{}, snap)
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.EnqueueManual(b.ctx, b.store, cat, "hr-reconcile", "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	root, err := b.store.BucketsStart(b.ctx, run.ID, "reconciliation", 4)
	if err != nil {
		t.Fatal(err)
	}
	dead, err := b.store.BucketClaim(b.ctx, root, "reconciliation", "dead-node", time.Now(), 300*time.Millisecond)
	if err != nil || dead == nil || dead.Index != 0 {
		t.Fatalf("claim: %+v, %v", dead, err)
	}
	task, _ := cat.Task("hr-reconcile")
	job := &synchronization.Job{Config: cat.Config(), Activity: task.Activities[0], RunID: run.ID, Mode: config.ModeFull,
		Store: b.store, ConnectorOptions: connector.Options{BaseDir: b.dir, StateDir: activity.FeedDir(b.dir)}}
	if err := synchronization.RunBucketWithoutClaim(b.ctx, job, 0, 4); err != nil {
		t.Fatal(err)
	}
	addedByDead := len(b.users(t)) - 200

	done, err := runner.RunForeground(b.ctx, b.store, cat, run.ID, "test:1:1", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustSucceed(t, done)
	if n := len(b.users(t)); n != 240 {
		t.Errorf("%d users, want 240", n)
	}
	adds := 0
	for _, c := range b.changes(t, run.ID) {
		if strings.HasPrefix(c, "user add ") {
			adds++
		}
	}
	if adds != 40 {
		t.Errorf("%d user additions recorded, want 40 (each new person once)", adds)
	}
	objects := done.Activities[0].Stages[1]
	if got := objects.Statistics["reaction.add_focus"]; got != int64(40-addedByDead) || addedByDead == 0 {
		t.Errorf("the run added %d users and the dead claimer %d, want 40 in all with some by the dead claimer\n%s", got, addedByDead, describe(done))
	}
	bs, err := b.store.Buckets(b.ctx, root, "reconciliation")
	if err != nil {
		t.Fatal(err)
	}
	if bs[0].State != state.BucketDone || bs[0].Attempts != 2 || bs[0].ClaimedBy != state.RunClaimer(run.ID) {
		t.Errorf("bucket 0: %+v, want done on the second attempt by the run", bs[0])
	}
	if rows := sqliteRows(t, filepath.Join(b.dir, "app.db"), "SELECT login FROM accounts"); len(rows) != 240 {
		t.Errorf("%d accounts, want 240", len(rows))
	}
}
