package scheduler

import (
	"fmt"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// runMaker builds the runs a scheduling decision records for one task.
type runMaker struct {
	now    time.Time
	ts     *TaskStatus
	s      *config.Schedule
	serial int64
}

// queued is a run due at fire time at.
func (m runMaker) queued(at time.Time, note string) state.Run {
	t := m.ts.Task
	return state.Run{
		Task:        t.Name,
		Trigger:     state.TriggerSchedule,
		TriggeredBy: m.fireTime(at),
		Mode:        string(t.Mode),
		Revision:    m.ts.Revision,
		Serial:      m.serial,
		State:       state.RunQueued,
		Priority:    t.Priority,
		Exclusive:   t.Concurrency != config.ConcurrencyAllow,
		Attempt:     1,
		ScheduledAt: at,
		CreatedAt:   m.now,
		Note:        note,
	}
}

// skipped is a run that was due at at but is recorded as not started.
func (m runMaker) skipped(at time.Time, note string) state.Run {
	r := m.queued(at, note)
	r.State, r.FinishedAt = state.RunSkipped, m.now
	return r
}

// fireTime renders a fire time in the schedule's zone.
func (m runMaker) fireTime(at time.Time) string {
	loc := time.UTC
	if m.s != nil && m.s.Location != nil {
		loc = m.s.Location
	}
	return at.In(loc).Format(time.RFC3339)
}

// span describes the missed fire times: "missed 1 fire time (T)" or
// "missed 12 fire times from T1 to T2".
func (m runMaker) span(due dueFires, missed int) string {
	switch {
	case due.capped:
		return fmt.Sprintf("missed more than %d fire times since %s", due.count, m.fireTime(due.first))
	case missed == 1:
		return fmt.Sprintf("missed 1 fire time (%s)", m.fireTime(due.first))
	}
	lastMissed := due.recent[len(due.recent)-1]
	if missed < due.count {
		lastMissed = due.recent[len(due.recent)-2]
	}
	return fmt.Sprintf("missed %d fire times from %s to %s", missed, m.fireTime(due.first), m.fireTime(lastMissed))
}

// DescribeRuns names runs, for a run's note: "run 12", "runs 12, 14".
func DescribeRuns(runs []state.Run) string {
	ids := make([]string, len(runs))
	for i, r := range runs {
		ids[i] = fmt.Sprint(r.ID)
	}
	if len(ids) == 1 {
		return "run " + ids[0]
	}
	return "runs " + strings.Join(ids, ", ")
}

// ActiveVerb says what the runs are doing, for a run's note: "running", "queued", or
// "queued or running".
func ActiveVerb(runs []state.Run) string {
	var queued, running bool
	for _, r := range runs {
		queued = queued || r.State == state.RunQueued
		running = running || r.State == state.RunRunning
	}
	switch {
	case queued && running:
		return "queued or running"
	case queued:
		return "queued"
	}
	return "running"
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "; " + b
}
