package planner

import (
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// NextRunCount is how many fire times a plan shows before and after a
// timing change.
const NextRunCount = 3

// nextTimes returns the next n fire times of s strictly after now, in the
// schedule's time zone. An every schedule counts from now, as if it last
// fired then.
func nextTimes(s *config.Schedule, now time.Time, n int) []time.Time {
	out := make([]time.Time, 0, n)
	if s == nil {
		return out
	}
	t := now
	for len(out) < n {
		t = s.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t.In(s.Location))
	}
	return out
}

// scheduleNextRuns is the next-run consequence of a schedule change, or nil
// when its timing does not change.
func (c *computation) scheduleNextRuns(ch *Change) *NextRuns {
	before, after := specOf(ch.Before), specOf(ch.After)
	if ch.After == nil || !timingChanged(before, after, scheduleTimingPaths) {
		return nil
	}
	b, _, _ := scheduleFromSpec(before, "")
	a, _, _ := scheduleFromSpec(after, "")
	return c.nextRuns(b, a)
}

// taskNextRuns is the next-run consequence of a task whose own timing
// changes: before from the stored specs, after from the desired ones.
func (c *computation) taskNextRuns(ch *Change) *NextRuns {
	before, after := specOf(ch.Before), specOf(ch.After)
	if ch.After == nil || !timingChanged(before, after, taskTimingPaths) {
		return nil
	}
	b, _ := taskSchedule(before, c.storedAt)
	a, hasAfter := taskSchedule(after, c.desiredAt)
	if b == nil && !hasAfter {
		return nil
	}
	return c.nextRuns(b, a)
}

func (c *computation) nextRuns(before, after *config.Schedule) *NextRuns {
	n := &NextRuns{
		Before: nextTimes(before, c.opts.Now, NextRunCount),
		After:  nextTimes(after, c.opts.Now, NextRunCount),
	}
	switch {
	case after != nil:
		n.Timezone = after.Timezone
	case before != nil:
		n.Timezone = before.Timezone
	}
	return n
}

func (c *computation) storedAt(addr string) *state.Definition { return c.snapshot.Definitions[addr] }

func (c *computation) desiredAt(addr string) *state.Definition { return c.desired[addr] }
