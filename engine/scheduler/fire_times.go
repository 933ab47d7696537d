package scheduler

import (
	"time"

	"github.com/syncline/syncline/config"
)

// MaxEnumeratedFires bounds how many due fire times of a cron schedule the
// scheduler walks through in one decision; beyond it the count is a lower
// bound and the schedule restarts from now. An every schedule is counted
// by arithmetic and has no bound.
const MaxEnumeratedFires = 10_000

// dueFires are the fire times of a schedule that came due in [from, now].
type dueFires struct {
	count  int         // how many; a lower bound when capped
	capped bool        // more than MaxEnumeratedFires were due
	first  time.Time   // the earliest
	recent []time.Time // the most recent ones (at most keep), oldest first
	next   time.Time   // the first fire time after now
}

// fireTimesDue walks s from from — itself a fire time — to now, keeping
// the most recent keep fire times.
func fireTimesDue(s *config.Schedule, from, now time.Time, keep int) dueFires {
	if from.After(now) {
		return dueFires{next: from}
	}
	if s.Every > 0 {
		return everyDue(s.Every, from, now, keep)
	}
	return cronDue(s, from, now, keep)
}

func everyDue(every time.Duration, from, now time.Time, keep int) dueFires {
	count := int(now.Sub(from)/every) + 1
	last := from.Add(time.Duration(count-1) * every)
	d := dueFires{count: count, first: from, next: last.Add(every)}
	n := min(keep, count)
	for i := n - 1; i >= 0; i-- {
		d.recent = append(d.recent, last.Add(-time.Duration(i)*every))
	}
	return d
}

func cronDue(s *config.Schedule, from, now time.Time, keep int) dueFires {
	d := dueFires{first: from}
	ring := make([]time.Time, 0, keep)
	t := from
	for !t.IsZero() && !t.After(now) {
		if d.count == MaxEnumeratedFires {
			d.capped = true
			d.next = s.Next(now)
			d.recent = ring
			return d
		}
		d.count++
		if keep > 0 {
			if len(ring) == keep {
				ring = append(ring[:0], ring[1:]...)
			}
			ring = append(ring, t)
		}
		t = nextFire(s, t)
	}
	d.recent, d.next = ring, t
	return d
}

// nextFire is the first fire time of s after t, a fire time; Next
// handles daylight-saving changes (see config.Schedule.Next).
func nextFire(s *config.Schedule, t time.Time) time.Time { return s.Next(t) }
