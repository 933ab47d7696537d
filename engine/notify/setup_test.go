package notify

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// bundle is a configuration directory applied to a new state, with a
// dispatcher on a fake clock.
type bundle struct {
	ctx   context.Context
	dir   string
	cfg   *config.Config
	store *state.Store
	clock *clock.Fake
	d     *Dispatcher
}

// setup applies hcl (main.hcl) with env set for env() calls.
func setup(t *testing.T, hcl string, env ...string) *bundle {
	t.Helper()
	b := &bundle{ctx: context.Background(), dir: t.TempDir(), clock: clock.NewFake(time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC))}
	if err := os.WriteFile(filepath.Join(b.dir, "main.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.LoadDir(b.dir, config.LoadOptions{Environ: env})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	b.cfg = cfg
	st, err := state.Open(b.ctx, filepath.Join(t.TempDir(), "state.db"), state.Options{Clock: b.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b.store = st
	snap, err := st.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	desired, err := planner.Desired(cfg, "", snap.Key)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planner.Compute(desired, snap, planner.Options{Now: b.clock.Now(), Moves: planner.MovesFromConfig(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(b.ctx, plan.ApplyRequest(desired, "tester")); err != nil {
		t.Fatal(err)
	}
	b.d = &Dispatcher{Store: st, Config: func() *config.Config { return b.cfg }, Dir: b.dir, ID: "test:1", Clock: b.clock}
	return b
}

// endRun runs task to final with activities' results, and returns the run.
func (b *bundle) endRun(t *testing.T, task string, final state.RunState, msg string, acts []state.ActivityResult) *state.Run {
	t.Helper()
	r, err := b.store.RunEnqueue(b.ctx, state.Run{Task: task, Trigger: state.TriggerSchedule, Mode: "full", Revision: "abc1234", ScheduledAt: b.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.RunClaim(b.ctx, "w:1", b.clock.Now()); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(90 * time.Second)
	if err := b.store.RunFinish(b.ctx, r.ID, "w:1", final, msg, acts, time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	done, err := b.store.RunGet(b.ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

func (b *bundle) deliver(t *testing.T) []Delivery {
	t.Helper()
	out, err := b.d.DeliverDue(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (b *bundle) notifications(t *testing.T, run int64) []state.Notification {
	t.Helper()
	ns, err := b.store.RunNotifications(b.ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// importResults is what a failed import records.
func importResults() []state.ActivityResult {
	return []state.ActivityResult{{
		Name: "import", Type: "import", State: state.RunPartial, Success: 40, Failure: 2,
		Statistics: map[string]int64{"users.add": 3, "users.modify": 1, "accounts.create": 3, "accounts.failed": 2},
		Errors: []state.ItemError{
			{Item: "app/carol", Category: "resource", Message: "create: the table refused the row <script>"},
			{Item: "e7", Category: "mapping", Message: "mail is not a string"},
		},
	}}
}
