package ops_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/syncline/syncline/engine/notify"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/state"
)

// blockingTasks: a blocks until its run is cancelled; b runs after a; c
// runs on its own, after a and b by name.
const blockingTasks = `
syncline {
  state = "sqlite://state.db"
}

task "a" {
  activity "exec" {
    command = "sleep"
    args    = ["600"]
  }
}

task "b" {
  after = [task.a]
  activity "exec" {
    command = "true"
  }
}

task "c" {
  activity "exec" {
    command = "true"
  }
}
`

// interrupter is an UpObserver that cancels the round once the activity
// of task a's run is running: Ctrl-C in the middle of a run.
type interrupter struct {
	cancel  context.CancelFunc
	skipped []string
}

var _ ops.UpObserver = (*interrupter)(nil)

func (i *interrupter) Recovered([]state.Run)             {}
func (i *interrupter) AlreadyQueued(string, state.Run)   {}
func (i *interrupter) Queued(state.Run)                  {}
func (i *interrupter) Started(state.Run)                 {}
func (i *interrupter) Applying(string, string)           {}
func (i *interrupter) NoTasks(bool)                      {}
func (i *interrupter) Order([]string)                    {}
func (i *interrupter) TaskStarting()                     {}
func (i *interrupter) TaskFailed(string, error)          {}
func (i *interrupter) Skipped(task, _ string)            { i.skipped = append(i.skipped, task) }
func (i *interrupter) Notified([]notify.Delivery, error) {}

func (i *interrupter) Progress(r *state.Run) {
	if r.Task == "a" && r.Activities[0].State == state.RunRunning {
		i.cancel()
	}
}

// TestUpRoundInterrupted: a round cancelled while a task's run runs ends
// that run cancelled, skips the tasks not started yet as interrupted,
// leaves no run queued or running, and returns the round as data with no
// error, for up to show its summary.
func TestUpRoundInterrupted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeConfig(t, dir, blockingTasks)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	obs := &interrupter{cancel: cancel}
	res, err := ops.UpRound(ctx, ops.UpOptions{Dir: dir}, nil, ops.Quiet{}, obs)
	if err != nil {
		t.Fatalf("UpRound: %v", err)
	}
	if !res.Interrupted || !res.Failed() || len(res.Runs) != 3 {
		t.Fatalf("interrupted %v, failed %v, %d runs; want an interrupted, failed round of 3 turns", res.Interrupted, res.Failed(), len(res.Runs))
	}
	if a := res.Runs[0]; a.Task != "a" || a.Run == nil || a.Run.State != state.RunCancelled {
		t.Errorf("task a: %+v, want its run cancelled", a)
	}
	for _, r := range res.Runs[1:] {
		if r.Run != nil || r.Skipped != ops.NotStartedInterrupted {
			t.Errorf("task %s: run %v, skipped %q; want it not started for the interrupt", r.Task, r.Run, r.Skipped)
		}
	}
	if len(obs.skipped) != 0 {
		t.Errorf("Skipped was called for %v: an interrupt's skipped tasks are the summary's to show", obs.skipped)
	}
	st, err := state.Open(context.Background(), filepath.Join(dir, "state.db"), state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, task := range []string{"a", "b", "c"} {
		if active, err := st.RunListActive(context.Background(), task); err != nil || len(active) > 0 {
			t.Errorf("task %s: active runs %v (%v), want none", task, active, err)
		}
	}
}

// TestUpRoundInterruptedBeforeTasks: a round cancelled before its tasks
// ran says so, rather than "context canceled".
func TestUpRoundInterruptedBeforeTasks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeConfig(t, dir, blockingTasks)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := ops.UpRound(ctx, ops.UpOptions{Dir: dir}, nil, ops.Quiet{}, &interrupter{cancel: cancel})
	if !errors.Is(err, ops.ErrUpInterrupted) || len(res.Runs) != 0 {
		t.Errorf("UpRound: %v with %d runs, want ErrUpInterrupted and no run", err, len(res.Runs))
	}
}
