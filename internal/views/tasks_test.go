package views

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
)

// TestTaskShowConsuming: a running async_update says where it stands;
// a finished one and other activities say nothing.
func TestTaskShowConsuming(t *testing.T) {
	t.Parallel()
	consumer := state.ActivityResult{Name: "async_update", Type: "async_update",
		Output: map[string]string{"messages": "1500", "rate": "500.0/s", "last_message": "2026-12-04T10:00:02Z"}}
	cases := []struct {
		name string
		run  state.Run
		want string
	}{
		{"running", state.Run{ID: 7, State: state.RunRunning, Activities: []state.ActivityResult{consumer}},
			"  consuming: run 7, async_update: 1500 messages, 500.0/s over the last minute, the last at 2026-12-04 10:00:02 UTC\n"},
		{"no message yet", state.Run{ID: 8, State: state.RunRunning, Activities: []state.ActivityResult{
			{Name: "async_update", Type: "async_update", Output: map[string]string{"messages": "0"}}}},
			"  consuming: run 8, async_update: 0 messages\n"},
		{"finished", state.Run{ID: 9, State: state.RunSucceeded, Activities: []state.ActivityResult{consumer}}, ""},
		{"an import", state.Run{ID: 10, State: state.RunRunning, Activities: []state.ActivityResult{{Name: "import", Type: "import"}}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			v := NewTasks(Streams{Stdout: &out, Stderr: &out})
			v.Show(TaskList{Snapshot: &state.Snapshot{}, Now: time.Date(2026, 12, 4, 10, 0, 5, 0, time.UTC)},
				&state.TaskRuntime{Task: "hr-events", State: state.TaskActive}, []state.Run{tc.run})
			got := out.String()
			lines := ""
			for _, l := range strings.SplitAfter(got, "\n") {
				if strings.HasPrefix(l, "  consuming:") {
					lines += l
				}
			}
			if lines != tc.want {
				t.Errorf("consuming lines %q, want %q\nwhole output:\n%s", lines, tc.want, got)
			}
		})
	}
}
