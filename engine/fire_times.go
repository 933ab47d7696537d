package engine

import (
	"strings"
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

// nextFire is the first fire time of s after t, a fire time. When clocks
// go back (the last Sunday of October in Europe), a cron schedule with a
// fixed hour fires each local wall-clock time once — "30 2 * * *" runs at
// the first 02:30, not again an hour later — as Vixie cron does; a
// schedule whose hour field is a wildcard ("0 * * * *", "*/10 * * * *",
// @hourly) counts elapsed time within the hour and fires in the repeated
// hour too. A time that does not exist (02:30 on the spring-forward day) is
// skipped that day.
func nextFire(s *config.Schedule, t time.Time) time.Time {
	n := s.Next(t)
	if s.Every > 0 || n.IsZero() || wildcardHour(s.Cron) {
		return n
	}
	if sameWallClock(n, t, s.Location) {
		return s.Next(n)
	}
	return n
}

// wildcardHour reports whether a cron expression runs in every hour.
func wildcardHour(expr string) bool {
	fields := strings.Fields(expr)
	if len(fields) == 1 {
		return fields[0] == "@hourly"
	}
	return len(fields) == 5 && strings.HasPrefix(fields[1], "*")
}

func sameWallClock(a, b time.Time, loc *time.Location) bool {
	if loc == nil {
		loc = time.UTC
	}
	a, b = a.In(loc), b.In(loc)
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute() && a.Second() == b.Second()
}
