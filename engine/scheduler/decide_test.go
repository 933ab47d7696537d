package scheduler

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/state"
)

var decideNow = time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)

func everySchedule(t *testing.T, every time.Duration, misfire string, maxCatchUp int) *config.Schedule {
	t.Helper()
	s, err := config.NewSchedule("", "", every)
	if err != nil {
		t.Fatal(err)
	}
	s.Misfire, s.MaxCatchUp = misfire, maxCatchUp
	return s
}

func cronSchedule(t *testing.T, expr, tz, misfire string) *config.Schedule {
	t.Helper()
	s, err := config.NewSchedule(expr, tz, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Misfire = misfire
	return s
}

// status is an active, runnable task on s whose next fire time is next.
func status(s *config.Schedule, concurrency string, next time.Time, active ...state.Run) TaskStatus {
	task := &config.Task{Name: "t", Priority: 70, Enabled: true, Mode: config.ModePreview, Concurrency: concurrency, Schedule: s}
	return TaskStatus{
		Runtime: state.TaskRuntime{Task: "t", State: state.TaskActive, Since: next.Add(-24 * time.Hour),
			NextFireAt: next, ScheduleKey: ScheduleKey(task)},
		Task: task, Revision: "abc123", Active: active,
	}
}

func decideOne(t *testing.T, ts TaskStatus) (Decision, bool) {
	t.Helper()
	ds, _ := Decide(decideNow, []TaskStatus{ts}, Policy{Serial: 9})
	if len(ds) > 1 {
		t.Fatalf("%d decisions for one task", len(ds))
	}
	if len(ds) == 0 {
		return Decision{}, false
	}
	return ds[0], true
}

// runSummary renders runs as "state@HH:MM:SS note" lines.
func runSummary(runs []state.Run) []string {
	var out []string
	for _, r := range runs {
		line := string(r.State) + "@" + r.ScheduledAt.UTC().Format("15:04:05")
		if r.Note != "" {
			line += " " + r.Note
		}
		out = append(out, line)
	}
	return out
}

func TestDecideRecomputesWithoutFiring(t *testing.T) {
	t.Parallel()
	s := everySchedule(t, 15*time.Minute, config.MisfireRunOnce, 10)
	for name, ts := range map[string]TaskStatus{
		"never computed": status(s, config.ConcurrencyForbid, time.Time{}),
		"schedule changed": func() TaskStatus {
			ts := status(s, config.ConcurrencyForbid, decideNow.Add(-time.Hour))
			ts.Runtime.ScheduleKey = "every 1h"
			return ts
		}(),
	} {
		d, ok := decideOne(t, ts)
		if !ok || d.Kind != DecideRecompute || !d.NewNext.Equal(decideNow.Add(15*time.Minute)) || len(d.Runs) != 0 {
			t.Errorf("%s: %+v", name, d)
		}
		if d.ScheduleKey != "every 15m" {
			t.Errorf("%s: key %q", name, d.ScheduleKey)
		}
	}
}

func TestDecideFiresOnTime(t *testing.T) {
	t.Parallel()
	s := everySchedule(t, 15*time.Minute, config.MisfireRunOnce, 10)
	due := decideNow.Add(-10 * time.Second)
	d, ok := decideOne(t, status(s, config.ConcurrencyForbid, due))
	if !ok || d.Kind != DecideFire {
		t.Fatalf("decision %+v", d)
	}
	if !d.ExpectNext.Equal(due) || !d.NewNext.Equal(due.Add(15*time.Minute)) {
		t.Errorf("next %s -> %s", d.ExpectNext, d.NewNext)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("runs %v", runSummary(d.Runs))
	}
	r := d.Runs[0]
	want := state.Run{Task: "t", Trigger: state.TriggerSchedule, TriggeredBy: "2025-06-02T11:59:50Z", Mode: "preview",
		Revision: "abc123", Serial: 9, State: state.RunQueued, Priority: 70, Exclusive: true, Attempt: 1,
		ScheduledAt: due, CreatedAt: decideNow}
	if r.Task != want.Task || r.Trigger != want.Trigger || r.TriggeredBy != want.TriggeredBy || r.Mode != want.Mode ||
		r.Revision != want.Revision || r.Serial != want.Serial || r.State != want.State || r.Priority != want.Priority ||
		r.Exclusive != want.Exclusive || r.Attempt != want.Attempt || !r.ScheduledAt.Equal(want.ScheduledAt) || r.Note != "" {
		t.Errorf("run\n%+v\nwant\n%+v", r, want)
	}
}

func TestDecideNothingBeforeDue(t *testing.T) {
	t.Parallel()
	s := everySchedule(t, 15*time.Minute, config.MisfireRunOnce, 10)
	next := decideNow.Add(time.Minute)
	ds, wake := Decide(decideNow, []TaskStatus{status(s, config.ConcurrencyForbid, next)}, Policy{})
	if len(ds) != 0 || !wake.Equal(next) {
		t.Errorf("decisions %+v, wake %s", ds, wake)
	}
}

func TestDecideMisfire(t *testing.T) {
	t.Parallel()
	minute := time.Minute
	tests := []struct {
		name       string
		misfire    string
		maxCatchUp int
		every      time.Duration
		next       time.Time // first due fire time
		want       []string
	}{
		{"skip, latest on time", config.MisfireSkip, 10, minute, decideNow.Add(-10*minute - 30*time.Second), []string{
			"skipped@11:49:30 missed 10 fire times from 2025-06-02T11:49:30Z to 2025-06-02T11:58:30Z (misfire = skip)",
			"queued@11:59:30",
		}},
		{"skip, all late", config.MisfireSkip, 10, 5 * minute, decideNow.Add(-12 * minute), []string{
			"skipped@11:48:00 missed 3 fire times from 2025-06-02T11:48:00Z to 2025-06-02T11:58:00Z (misfire = skip)",
		}},
		{"skip, one late", config.MisfireSkip, 10, minute, decideNow.Add(-90 * time.Second), []string{
			"skipped@11:58:30 missed 1 fire time (2025-06-02T11:58:30Z) (misfire = skip)",
			"queued@11:59:30",
		}},
		{"run_once", config.MisfireRunOnce, 10, minute, decideNow.Add(-10*minute - 30*time.Second), []string{
			"queued@11:59:30 catch-up: missed 10 fire times from 2025-06-02T11:49:30Z to 2025-06-02T11:58:30Z (misfire = run_once)",
		}},
		{"run_once, all late", config.MisfireRunOnce, 10, 5 * minute, decideNow.Add(-3*time.Hour - 2*minute), []string{
			"queued@11:58:00 catch-up: missed 37 fire times from 2025-06-02T08:58:00Z to 2025-06-02T11:58:00Z (misfire = run_once)",
		}},
		{"run_once, one late", config.MisfireRunOnce, 10, 5 * minute, decideNow.Add(-2 * minute), []string{
			"queued@11:58:00 catch-up: missed 1 fire time (2025-06-02T11:58:00Z) (misfire = run_once)",
		}},
		{"run_all within the cap", config.MisfireRunAll, 10, minute, decideNow.Add(-2*minute - 30*time.Second), []string{
			"queued@11:57:30 catch-up for a missed fire time (misfire = run_all)",
			"queued@11:58:30 catch-up for a missed fire time (misfire = run_all)",
			"queued@11:59:30",
		}},
		{"run_all over the cap", config.MisfireRunAll, 3, minute, decideNow.Add(-10*minute - 30*time.Second), []string{
			"skipped@11:49:30 missed 10 fire times from 2025-06-02T11:49:30Z to 2025-06-02T11:58:30Z; dropped the oldest 7, max_catch_up = 3 (misfire = run_all)",
			"queued@11:56:30 catch-up for a missed fire time (misfire = run_all)",
			"queued@11:57:30 catch-up for a missed fire time (misfire = run_all)",
			"queued@11:58:30 catch-up for a missed fire time (misfire = run_all)",
			"queued@11:59:30",
		}},
		{"run_all, all late", config.MisfireRunAll, 2, 5 * minute, decideNow.Add(-22 * minute), []string{
			"skipped@11:38:00 missed 5 fire times from 2025-06-02T11:38:00Z to 2025-06-02T11:58:00Z; dropped the oldest 3, max_catch_up = 2 (misfire = run_all)",
			"queued@11:53:00 catch-up for a missed fire time (misfire = run_all)",
			"queued@11:58:00 catch-up for a missed fire time (misfire = run_all)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := everySchedule(t, tt.every, tt.misfire, tt.maxCatchUp)
			d, ok := decideOne(t, status(s, config.ConcurrencyAllow, tt.next))
			if !ok || d.Kind != DecideFire {
				t.Fatalf("decision %+v", d)
			}
			enginetest.EqualLines(t, runSummary(d.Runs), tt.want)
			if !d.NewNext.After(decideNow) || d.NewNext.After(decideNow.Add(tt.every)) {
				t.Errorf("next fire %s is not the first after now", d.NewNext)
			}
		})
	}
}

func TestDecideMisfireEnumerationIsBounded(t *testing.T) {
	t.Parallel()
	s := cronSchedule(t, "* * * * *", "UTC", config.MisfireRunAll)
	next := decideNow.Add(-8 * 24 * time.Hour) // 11,520 minutes
	start := time.Now()
	d, ok := decideOne(t, status(s, config.ConcurrencyForbid, next))
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("deciding took %s", elapsed)
	}
	if !ok {
		t.Fatal("no decision")
	}
	enginetest.EqualLines(t, runSummary(d.Runs), []string{
		"skipped@12:00:00 missed more than 10000 fire times since 2025-05-25T12:00:00Z; ran once now instead (misfire = run_all)",
		"queued@12:00:00 catch-up: missed more than 10000 fire times since 2025-05-25T12:00:00Z (misfire = run_all)",
	})
	if !d.NewNext.Equal(decideNow.Add(time.Minute)) {
		t.Errorf("next fire %s", d.NewNext)
	}
}

func TestDecideConcurrency(t *testing.T) {
	t.Parallel()
	running := state.Run{ID: 7, Task: "t", State: state.RunRunning}
	queued := state.Run{ID: 8, Task: "t", State: state.RunQueued}
	due := decideNow.Add(-5 * time.Second)
	tests := []struct {
		concurrency string
		active      []state.Run
		want        []string
		cancel      []int64
		exclusive   bool
	}{
		{config.ConcurrencyForbid, []state.Run{running}, []string{"skipped@11:59:55 run 7 still running (concurrency = forbid)"}, nil, true},
		{config.ConcurrencyForbid, []state.Run{running, queued}, []string{"skipped@11:59:55 runs 7, 8 still queued or running (concurrency = forbid)"}, nil, true},
		{config.ConcurrencyForbid, nil, []string{"queued@11:59:55"}, nil, true},
		{config.ConcurrencyReplace, []state.Run{running, queued}, []string{"queued@11:59:55 replaces runs 7, 8 (concurrency = replace)"}, []int64{7, 8}, true},
		{config.ConcurrencyAllow, []state.Run{running}, []string{"queued@11:59:55"}, nil, false},
	}
	for _, tt := range tests {
		s := everySchedule(t, time.Hour, config.MisfireRunOnce, 10)
		d, ok := decideOne(t, status(s, tt.concurrency, due, tt.active...))
		if !ok {
			t.Fatalf("%s: no decision", tt.concurrency)
		}
		enginetest.EqualLines(t, runSummary(d.Runs), tt.want)
		if !slices.Equal(d.Cancel, tt.cancel) {
			t.Errorf("%s: cancel %v, want %v", tt.concurrency, d.Cancel, tt.cancel)
		}
		if d.Runs[0].Exclusive != tt.exclusive {
			t.Errorf("%s: exclusive %v", tt.concurrency, d.Runs[0].Exclusive)
		}
	}
}

func TestDecideForbidMergesCatchUps(t *testing.T) {
	t.Parallel()
	s := everySchedule(t, time.Minute, config.MisfireRunAll, 10)
	d, _ := decideOne(t, status(s, config.ConcurrencyForbid, decideNow.Add(-150*time.Second), state.Run{ID: 3, State: state.RunRunning}))
	enginetest.EqualLines(t, runSummary(d.Runs), []string{
		"skipped@11:59:30 3 due runs skipped: run 3 still running (concurrency = forbid)",
	})
}

func TestDecideLeavesTasksItMayNotRun(t *testing.T) {
	t.Parallel()
	s := everySchedule(t, time.Minute, config.MisfireRunOnce, 10)
	due := decideNow.Add(-time.Hour)

	differs := status(s, config.ConcurrencyForbid, due)
	differs.Problem = errors.New("task.t differs")
	closed := status(s, config.ConcurrencyForbid, due)
	closed.Runtime.State = state.TaskClosed
	unconfigured := status(s, config.ConcurrencyForbid, due)
	unconfigured.Task = nil
	for name, ts := range map[string]TaskStatus{"differs": differs, "closed": closed, "unconfigured": unconfigured} {
		if d, ok := decideOne(t, ts); ok {
			t.Errorf("%s: decided %+v", name, d)
		}
	}
}

func TestDecideSuspendedAdvancesWithoutRuns(t *testing.T) {
	t.Parallel()
	s := everySchedule(t, time.Minute, config.MisfireRunAll, 10)
	ts := status(s, config.ConcurrencyForbid, decideNow.Add(-90*time.Second))
	ts.Runtime.State = state.TaskSuspended
	d, ok := decideOne(t, ts)
	if !ok || d.Kind != DecideAdvance || len(d.Runs) != 0 || !d.NewNext.Equal(decideNow.Add(30*time.Second)) {
		t.Errorf("decision %+v", d)
	}
}

func TestDecideDoesNotCatchUpBeforeResume(t *testing.T) {
	t.Parallel()
	s := everySchedule(t, time.Minute, config.MisfireRunAll, 100)
	ts := status(s, config.ConcurrencyAllow, decideNow.Add(-10*time.Minute))
	ts.Runtime.Since = decideNow.Add(-150 * time.Second) // resumed then; the scheduler was down meanwhile
	d, _ := decideOne(t, ts)
	enginetest.EqualLines(t, runSummary(d.Runs), []string{
		"queued@11:58:00 catch-up for a missed fire time (misfire = run_all)",
		"queued@11:59:00 catch-up for a missed fire time (misfire = run_all)",
		"queued@12:00:00",
	})
}

func TestDecideDisabledClearsNextFire(t *testing.T) {
	t.Parallel()
	s := everySchedule(t, time.Minute, config.MisfireRunOnce, 10)
	ts := status(s, config.ConcurrencyForbid, decideNow.Add(time.Minute))
	ts.Task.Enabled = false
	d, ok := decideOne(t, ts)
	if !ok || d.Kind != DecideClear || !d.NewNext.IsZero() || d.ScheduleKey != "" {
		t.Errorf("decision %+v", d)
	}
	ts.Runtime.NextFireAt, ts.Runtime.ScheduleKey = time.Time{}, ""
	if d, ok := decideOne(t, ts); ok {
		t.Errorf("cleared task decided again: %+v", d)
	}
}
