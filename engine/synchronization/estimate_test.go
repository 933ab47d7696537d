package synchronization_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/builtin"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/engine/synchronization"
)

// totals records the totals an activity sets, and discards the rest.
type totals struct {
	mu  sync.Mutex
	set []int64
}

func (r *totals) SetTotal(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.set = append(r.set, n)
}
func (*totals) AddSuccess(int64)                   {}
func (*totals) AddSkipped(int64)                   {}
func (*totals) AddItemError(string, string, error) {}
func (*totals) AddStatistic(string, int64)         {}
func (*totals) SetOutput(string, string)           {}

// noEstimate hides a connector's optional capabilities, as a connector
// without an Estimator (ldap) has none.
type noEstimate struct{ connector.Connector }

// TestImportTotalFromTheEstimate: an import of a csv file too large to
// count at once starts with the connector's estimate as its total, and
// ends with the objects it read, so that the run's record keeps no guess;
// without an estimate the total is unknown until the search ends.
func TestImportTotalFromTheEstimate(t *testing.T) {
	t.Parallel()
	const n = 3000
	var hr strings.Builder
	hr.WriteString("emp_id,login,first_name,last_name,email,state\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&hr, "e%d,user%d,First%d,Last%d,user%d@hr.example,active\n", i, i, i, i, i)
	}
	for _, hide := range []bool{false, true} {
		t.Run(fmt.Sprintf("hidden=%v", hide), func(t *testing.T) {
			t.Parallel()
			b := setup(t, map[string]string{"hr.csv": hr.String(),
				"main.hcl": hrResource("") + "task \"hr-import\" {\n  activity \"import\" {\n    resource = resource.hr\n  }\n}\n"})
			rec := &totals{}
			job := importJob(t, b, rec)
			if hide {
				job.Open = func(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
					c, err := builtin.Open(ctx, res, opts)
					return noEstimate{c}, err
				}
			}
			if err := synchronization.Import(b.ctx, job); err != nil {
				t.Fatal(err)
			}
			switch {
			case hide && !slices.Equal(rec.set, []int64{-1, n}):
				t.Errorf("totals set %v, want -1 then %d", rec.set, n)
			case !hide && (len(rec.set) != 3 || rec.set[0] != -1 || rec.set[1] < n*95/100 || rec.set[1] > n*105/100 || rec.set[2] != n):
				t.Errorf("totals set %v, want -1, an estimate within 5%% of %d, then %d", rec.set, n, n)
			}
		})
	}
}

// importJob is the job of hr-import's activity in a run queued for it,
// recording to rec.
func importJob(t *testing.T, b *bundle, rec synchronization.Recorder) *synchronization.Job {
	return taskJob(t, b, "hr-import", rec)
}

// taskJob is the job of task's first activity in a run queued for it,
// recording to rec.
func taskJob(t *testing.T, b *bundle, task string, rec synchronization.Recorder) *synchronization.Job {
	t.Helper()
	cfg, diags := config.LoadDir(b.dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	snap, err := b.store.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(b.dir, config.LoadOptions{}, snap)
	if err != nil {
		t.Fatal(err)
	}
	run, err := runner.EnqueueManual(b.ctx, b.store, cat, task, "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	return &synchronization.Job{Config: cfg, Activity: cfg.Tasks[task].Activities[0], RunID: run.ID, Mode: config.ModeFull,
		Store: b.store, ConnectorOptions: connector.Options{BaseDir: b.dir}, Rec: rec}
}

// TestExactTotals: a csv file small enough to count and a sql table keep
// their exact counts as the totals of the run's record.
func TestExactTotals(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := run.Activities[0].Total; got != 4 {
		t.Errorf("import total %d, want the 4 rows of hr.csv\n%s", got, describe(run))
	}
	again := b.run(t, "app-reconcile", "")
	mustSucceed(t, again)
	for _, st := range again.Activities[0].Stages {
		if st.Name == "resource_objects" && st.Total != 3 {
			t.Errorf("resource_objects total %d, want the 3 rows of the accounts table\n%s", st.Total, describe(again))
		}
	}
}
