package console

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// TestTasksJSONAsEncodingJSON: the hand-written encoding of a tasks page
// is byte for byte what encoding/json writes, for rows with and without
// every optional field and strings that need escaping.
func TestTasksJSONAsEncodingJSON(t *testing.T) {
	t.Parallel()
	prague, err := time.LoadLocation("Europe/Prague")
	if err != nil {
		t.Fatal(err)
	}
	next := time.Date(2025, 3, 30, 2, 0, 0, 0, prague)
	odd := "<b>&\"\\\n\r\t\b\f\x00\x1f\x7f é\u2028\u2029 \xff end"
	pages := []*TasksPage{
		{Tasks: nil},
		{Tasks: []TaskSummary{}, Offset: 5, Limit: 0, Total: 3},
		{Tasks: []TaskSummary{
			{Name: "plain", Types: []string{}, Status: StatusIdle, Schedule: "manual"},
			{Name: "nil-types", Status: StatusIdle},
			{Name: odd, Description: odd, Owner: odd, Types: []string{"exec", odd}, Status: StatusSuspended, Schedule: odd, NextRun: &next,
				LastRun: &RunBrief{ID: 42, Task: odd, State: "failed", Trigger: "manual", TriggeredBy: odd, Mode: "full", Revision: "abc",
					CreatedAt: time.Date(2025, 3, 28, 12, 0, 0, 123456789, time.UTC), StartedAt: next, FinishedAt: next.Add(time.Second), Error: odd},
				Suspension: &Suspension{By: odd, Reason: odd, Since: next}},
			{Name: "queued", Types: []string{"import"}, Status: StatusQueued, LastRun: &RunBrief{ID: 1, CreatedAt: next},
				Suspension: &Suspension{Since: next}},
			{Name: "reason-only", Suspension: &Suspension{Reason: "r", Since: next}},
		}, Offset: 0, Limit: 100, Total: 5},
	}
	for i, p := range pages {
		want, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendTasksPage(nil, p); !bytes.Equal(got, want) {
			t.Errorf("page %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
