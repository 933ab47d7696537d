package state

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSuspendAndResume(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "import")
	b.clock.Advance(time.Hour)

	if err := b.store.TaskSuspend(b.ctx, "import", "HR freeze", "alice"); err != nil {
		t.Fatal(err)
	}
	rt := b.taskRuntime(t, "import")
	if rt.State != TaskSuspended || rt.Reason != "HR freeze" || rt.By != "alice" || !rt.Since.Equal(b.clock.Now()) {
		t.Fatalf("suspended = %+v", rt)
	}

	b.clock.Advance(time.Hour)
	if err := b.store.TaskResume(b.ctx, "import", "bob"); err != nil {
		t.Fatal(err)
	}
	rt = b.taskRuntime(t, "import")
	if rt.State != TaskActive || rt.Reason != "" || rt.By != "bob" || !rt.Since.Equal(b.clock.Now()) {
		t.Fatalf("resumed = %+v", rt)
	}
}

func TestSuspendAndResumeRefuseWrongStates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		task   string
		action func(*bundle) error
		want   string // in the message
		hint   string // in the message, "" for none
	}{
		{"suspend a suspended task", "paused", func(b *bundle) error {
			return b.store.TaskSuspend(b.ctx, "paused", "again", "bob")
		}, "cannot suspend task paused: it is already suspended (by alice since 2025-03-14T09:26:53Z: HR freeze)", ""},
		{"suspend a closed task", "gone", func(b *bundle) error {
			return b.store.TaskSuspend(b.ctx, "gone", "", "bob")
		}, "cannot suspend task gone: it is closed, not active (by carol since 2025-03-14T09:26:53Z: removed from the configuration)",
			"Add it back and apply"},
		{"resume an active task", "active", func(b *bundle) error {
			return b.store.TaskResume(b.ctx, "active", "bob")
		}, "cannot resume task active: it is already active", ""},
		{"resume a closed task", "gone", func(b *bundle) error {
			return b.store.TaskResume(b.ctx, "gone", "bob")
		}, "it is closed, not suspended", "Add it back and apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := taskStates(t)
			before := b.dump(t)

			err := tt.action(b)

			var stateErr *TaskStateError
			if !errors.As(err, &stateErr) || stateErr.Task != tt.task || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want a TaskStateError %q", err, tt.want)
			}
			if tt.hint != "" && !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("err = %q; want the hint %q", err, tt.hint)
			}
			if b.dump(t) != before {
				t.Error("state changed")
			}
		})
	}
}

func TestUnknownTask(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for name, err := range map[string]error{
		"TaskRuntime": func() error { _, err := b.store.TaskRuntime(b.ctx, "nope"); return err }(),
		"SuspendTask": b.store.TaskSuspend(b.ctx, "nope", "", "alice"),
		"ResumeTask":  b.store.TaskResume(b.ctx, "nope", "alice"),
		"EnqueueRun": func() error {
			_, err := b.store.RunEnqueue(b.ctx, Run{Task: "nope", Trigger: TriggerManual})
			return err
		}(),
	} {
		var unknown *UnknownTaskError
		if !errors.As(err, &unknown) || unknown.Task != "nope" || !strings.Contains(err.Error(), "syncline tasks") {
			t.Errorf("%s: err = %v; want an UnknownTaskError with a hint", name, err)
		}
	}
}

// taskStates is a store with an active, a suspended (by alice, "HR
// freeze") and a closed (by carol) task.
func taskStates(t *testing.T) *bundle {
	t.Helper()
	b := setup(t)
	b.applyTasks(t, "active", "paused", "gone")
	if err := b.store.TaskSuspend(b.ctx, "paused", "HR freeze", "alice"); err != nil {
		t.Fatal(err)
	}
	req := b.request(t)
	req.Who = "carol"
	req.Deletes = []string{"task.gone"}
	b.apply(t, req)
	return b
}
