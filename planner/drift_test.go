package planner

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
)

func TestDriftReportsSuspendedEnabledTasks(t *testing.T) {
	t.Parallel()
	desired := map[string]*state.Definition{
		"task.on":  {Kind: "task", Name: "on", Spec: map[string]string{"enabled": "true"}, Hash: "a"},
		"task.off": {Kind: "task", Name: "off", Spec: map[string]string{"enabled": "false"}, Hash: "b"},
	}
	since := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	runtime := []state.TaskRuntime{
		{Task: "on", State: state.TaskSuspended, By: "alice", Reason: "HR freeze", Since: since},
		{Task: "off", State: state.TaskSuspended, By: "bob", Since: since},
		{Task: "gone", State: state.TaskSuspended, By: "carol", Since: since},
	}
	p, err := Compute(desired, &state.Snapshot{}, Options{Now: since, Runtime: runtime})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Drift) != 1 || p.Drift[0].Address != "task.on" {
		t.Fatalf("drift = %+v, want only task.on", p.Drift)
	}
	var b bytes.Buffer
	if err := RenderJSON(&b, p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"task.on", "alice", "HR freeze", "syncline tasks resume on"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the JSON encoding does not mention %q:\n%s", want, b.String())
		}
	}
}
