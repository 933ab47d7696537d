package state

import (
	"testing"
	"time"
)

// TestTaskRows: each task's last started run and whether it is busy, as
// RunLatestByTask and the active runs say, in one read.
func TestTaskRows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a", "b", "c", "d")
	finish := func(task string) int64 {
		r := b.enqueue(t, Run{Task: task})
		if _, err := b.store.RunClaimByID(b.ctx, r.ID, "w:1:1", b.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := b.store.RunFinish(b.ctx, r.ID, "w:1:1", RunFailed, "it broke", nil, time.Time{}, nil); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	lastA := finish("a")
	b.enqueue(t, Run{Task: "a"}) // queued: busy, not the last run
	running := b.enqueue(t, Run{Task: "b"})
	if _, err := b.store.RunClaimByID(b.ctx, running.ID, "w:1:1", b.clock.Now()); err != nil {
		t.Fatal(err)
	}
	lastD := finish("d")
	b.enqueue(t, Run{Task: "d", State: RunSkipped, Note: "forbid"}) // never started
	if err := b.store.TaskSuspend(b.ctx, "c", "maintenance", "bob"); err != nil {
		t.Fatal(err)
	}

	rows, err := b.store.TaskRows(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	latest, err := b.store.RunLatestByTask(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		task  string
		busy  RunState
		last  int64
		state TaskState
	}{
		{"a", RunQueued, lastA, TaskActive},
		{"b", RunRunning, running.ID, TaskActive},
		{"c", "", 0, TaskSuspended},
		{"d", "", lastD, TaskActive},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i, w := range want {
		row := rows[i]
		var last int64
		if row.LastRun != nil {
			last = row.LastRun.ID
			full := latest[w.task]
			if row.LastRun.State != full.State || !row.LastRun.StartedAt.Equal(full.StartedAt) || !row.LastRun.FinishedAt.Equal(full.FinishedAt) ||
				row.LastRun.Error != full.Error || row.LastRun.Trigger != full.Trigger || row.LastRun.Mode != full.Mode {
				t.Errorf("%s: last run %+v, RunLatestByTask has %+v", w.task, *row.LastRun, full)
			}
		}
		if row.Task != w.task || row.Busy != w.busy || last != w.last || row.State != w.state || latest[w.task].ID != w.last {
			t.Errorf("row %d: %s busy %q last %d state %s, want %+v", i, row.Task, row.Busy, last, row.State, w)
		}
	}
	if rows[2].Reason != "maintenance" || rows[2].By != "bob" {
		t.Errorf("c's suspension: %+v", rows[2].TaskRuntime)
	}
	for _, tc := range []struct{ offset, limit, want int }{{1, 2, 2}, {3, 5, 1}, {4, 1, 0}, {9, 1, 0}} {
		page, total, err := b.store.TaskRowsPage(b.ctx, tc.offset, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if total != 4 || len(page) != tc.want {
			t.Fatalf("page %d+%d: %d rows of %d, want %d of 4", tc.offset, tc.limit, len(page), total, tc.want)
		}
		for i, row := range page {
			if full := rows[tc.offset+i]; row.Task != full.Task || row.Busy != full.Busy || (row.LastRun == nil) != (full.LastRun == nil) {
				t.Errorf("page %d+%d row %d: %+v, want %+v", tc.offset, tc.limit, i, row, full)
			}
		}
	}
}
