package exec_test

import (
	"testing"

	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

// bundle is what the tests start from (see enginetest.Bundle); exec runs
// through a runner, as in a real run.
type bundle struct{ *enginetest.Bundle }

func setup(t testing.TB, hcl string) *bundle {
	t.Helper()
	return &bundle{enginetest.Setup(t, hcl)}
}

// runner returns a runner on the fake clock for worker.
func (b *bundle) runner(t testing.TB, worker string) *runner.Runner {
	return &runner.Runner{Store: b.Store, Catalog: b.Catalog(t), Worker: worker, Clock: b.Clock}
}

// manual enqueues a manual run and executes it in the foreground.
func (b *bundle) manual(t testing.TB, r *runner.Runner, task string) *state.Run {
	t.Helper()
	run, err := runner.EnqueueManual(b.Ctx, b.Store, r.Catalog, task, "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	done, err := r.RunByID(b.Ctx, run.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return done
}
