package scheduler

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/state"
)

const dstHCL = `
schedule "daily" {
  cron     = "30 2 * * *"
  timezone = "Europe/Prague"
}

schedule "hourly" {
  cron     = "0 * * * *"
  timezone = "Europe/Prague"
}

task "daily" {
  schedule    = schedule.daily
  concurrency = "allow"
  activity "exec" {
    command = "true"
  }
}

task "hourly" {
  schedule    = schedule.hourly
  concurrency = "allow"
  activity "exec" {
    command = "true"
  }
}
`

// tickUntil ticks the scheduler, jumping the clock to each next fire time,
// until the next one is after end.
func (b *bundle) tickUntil(t *testing.T, s *Scheduler, end time.Time) {
	t.Helper()
	for i := 0; i < 10_000; i++ {
		res := b.tick(t, s)
		if res.Wake.IsZero() || res.Wake.After(end) {
			return
		}
		b.Clock.Set(res.Wake)
	}
	t.Fatal("the scheduler never got to the end")
}

// fireTimes lists the TriggeredBy of the task's runs fired between from
// and to.
func (b *bundle) fireTimes(t *testing.T, task string, from, to time.Time) []string {
	var out []string
	for _, r := range b.Runs(t, task) {
		if !r.ScheduledAt.Before(from) && !r.ScheduledAt.After(to) {
			out = append(out, r.TriggeredBy)
		}
	}
	return out
}

func TestSchedulerCronAcrossDST(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		start, end time.Time
		day        time.Time // the day clocks change, 00:00Z
		daily      []string
		hourly     []string // on the day of the change, 00:00Z to 03:00Z
	}{
		{
			name:  "spring forward",
			start: time.Date(2025, 3, 28, 12, 0, 0, 0, time.UTC), end: time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC),
			day: time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC),
			// 02:30 does not exist on 30 March: skipped that day.
			daily:  []string{"2025-03-29T02:30:00+01:00", "2025-03-31T02:30:00+02:00", "2025-04-01T02:30:00+02:00"},
			hourly: []string{"2025-03-30T01:00:00+01:00", "2025-03-30T03:00:00+02:00", "2025-03-30T04:00:00+02:00", "2025-03-30T05:00:00+02:00"},
		},
		{
			name:  "fall back",
			start: time.Date(2025, 10, 24, 12, 0, 0, 0, time.UTC), end: time.Date(2025, 10, 28, 12, 0, 0, 0, time.UTC),
			day: time.Date(2025, 10, 26, 0, 0, 0, 0, time.UTC),
			// 02:30 happens twice on 26 October: a daily job runs once.
			daily:  []string{"2025-10-25T02:30:00+02:00", "2025-10-26T02:30:00+02:00", "2025-10-27T02:30:00+01:00", "2025-10-28T02:30:00+01:00"},
			hourly: []string{"2025-10-26T02:00:00+02:00", "2025-10-26T02:00:00+01:00", "2025-10-26T03:00:00+01:00", "2025-10-26T04:00:00+01:00"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setupAt(t, dstHCL, tt.start)
			b.tickUntil(t, b.scheduler(t), tt.end)
			enginetest.EqualLines(t, b.fireTimes(t, "daily", tt.start, tt.end), tt.daily)
			enginetest.EqualLines(t, b.fireTimes(t, "hourly", tt.day, tt.day.Add(3*time.Hour)), tt.hourly)
			hours := len(b.fireTimes(t, "hourly", tt.start, tt.end))
			if want := int(tt.end.Sub(tt.start) / time.Hour); hours != want {
				t.Errorf("%d hourly runs in %d hours", hours, want)
			}
		})
	}
}

const everyHCL = `
task "beat" {
  schedule {
    every   = "2s"
    misfire = "skip"
  }
  concurrency = "allow"
  activity "exec" {
    command = "true"
  }
}
`

func TestSchedulerEveryKeepsItsGrid(t *testing.T) {
	t.Parallel()
	b := setup(t, everyHCL)
	s := b.scheduler(t)
	res := b.tick(t, s)
	if res.Queued != 0 || !res.Wake.Equal(enginetest.Start.Add(2*time.Second)) {
		t.Fatalf("first tick: %+v", res)
	}
	if rt := b.Runtime(t, "beat"); rt.ScheduleKey != "every 2s" {
		t.Errorf("schedule key %q", rt.ScheduleKey)
	}
	b.Clock.Advance(2500 * time.Millisecond) // a late tick
	if res := b.tick(t, s); res.Queued != 1 || !res.Wake.Equal(enginetest.Start.Add(4*time.Second)) {
		t.Fatalf("second tick: %+v", res)
	}
	b.Clock.Advance(1500 * time.Millisecond)
	b.tick(t, s)
	var got []string
	for _, r := range b.Runs(t, "beat") {
		got = append(got, fmt.Sprintf("%s %s", r.State, r.ScheduledAt.Sub(enginetest.Start)))
	}
	enginetest.EqualLines(t, got, []string{"queued 2s", "queued 4s"})
}

func TestSchedulerTwoSchedulersFireOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, everyHCL)
	s1, s2 := b.scheduler(t), b.scheduler(t)
	b.tick(t, s1)
	b.Clock.Advance(2 * time.Second)
	// Both decide from the same reading; only one may record the fire.
	statuses, err := s2.statuses(b.Ctx, b.Catalog(t), true)
	if err != nil {
		t.Fatal(err)
	}
	r1 := b.tick(t, s1)
	ds, _ := Decide(b.Clock.Now(), statuses, Policy{})
	ok, err := b.Store.TaskAdvanceSchedule(b.Ctx, ds[0].Task, ds[0].ExpectNext, ds[0].NewNext, ds[0].ScheduleKey, ds[0].Runs)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Queued != 1 || ok {
		t.Errorf("first scheduler queued %d, second advanced: %v", r1.Queued, ok)
	}
	if n := len(b.Runs(t, "beat")); n != 1 {
		t.Errorf("%d runs, want 1", n)
	}
}

func TestSchedulerConcurrency(t *testing.T) {
	t.Parallel()
	for _, policy := range []string{"forbid", "replace", "allow"} {
		t.Run(policy, func(t *testing.T) {
			t.Parallel()
			b := setup(t, strings.Replace(enginetest.ConcurrencyHCL, "POLICY", policy, 1))
			s := b.scheduler(t)
			b.tick(t, s)
			b.Clock.Advance(time.Minute)
			b.tick(t, s)
			first, err := b.Store.RunClaim(b.Ctx, "w:1:1", b.Clock.Now())
			if err != nil || first == nil {
				t.Fatalf("claim: %v, %v", first, err)
			}
			b.Clock.Advance(time.Minute)
			b.tick(t, s)
			runs := b.Runs(t, "job")
			if len(runs) != 2 {
				t.Fatalf("%d runs", len(runs))
			}
			second := runs[1]
			next, err := b.Store.RunClaim(b.Ctx, "w:1:2", b.Clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			switch policy {
			case "forbid":
				if second.State != state.RunSkipped || second.Note != fmt.Sprintf("run %d still running (concurrency = forbid)", first.ID) {
					t.Errorf("second run %s: %q", second.State, second.Note)
				}
			case "replace":
				if second.State != state.RunQueued || !strings.Contains(second.Note, "replaces run") {
					t.Errorf("second run %s: %q", second.State, second.Note)
				}
				if r := b.Runs(t, "job")[0]; !r.CancelRequested {
					t.Error("the replaced run was not asked to cancel")
				}
				if next != nil {
					t.Errorf("claimed run %d while the replaced one still runs", next.ID)
				}
			case "allow":
				if second.State != state.RunQueued || next == nil || next.ID != second.ID {
					t.Errorf("second run %s, claimed %v", second.State, next)
				}
			}
		})
	}
}
