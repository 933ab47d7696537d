package scheduler

import (
	"fmt"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// fire decides about the fire times of an active task due in [from, now]:
// the misfire policy turns them into queued and skipped runs, then the
// concurrency policy deals with the runs still going.
func fire(now time.Time, ts *TaskStatus, s *config.Schedule, from time.Time, p Policy, d Decision) Decision {
	keep := 2 // the latest, and the last missed one for the note
	if s.Misfire == config.MisfireRunAll {
		keep = max(keep, s.MaxCatchUp+1)
	}
	due := fireTimesDue(s, from, now, keep)
	d.Kind, d.NewNext = DecideFire, due.next
	mk := runMaker{now: now, ts: ts, s: s, serial: p.Serial}
	runs := misfire(mk, due, now, p.MisfireTolerance)
	d.Runs, d.Cancel = concurrency(mk, runs)
	return d
}

// misfire applies the schedule's misfire policy. The latest due fire time
// is on time when it is at most tolerance old; every earlier one was
// missed, since the next one came due before it was fired.
func misfire(mk runMaker, due dueFires, now time.Time, tolerance time.Duration) []state.Run {
	latest := due.recent[len(due.recent)-1]
	onTime := !due.capped && now.Sub(latest) <= tolerance
	missed := due.count
	if onTime {
		missed--
	}
	if missed == 0 {
		return []state.Run{mk.queued(latest, "")}
	}
	span := mk.span(due, missed)
	switch mk.s.Misfire {
	case config.MisfireSkip:
		runs := []state.Run{mk.skipped(due.first, fmt.Sprintf("%s (misfire = skip)", span))}
		if onTime {
			runs = append(runs, mk.queued(latest, ""))
		}
		return runs
	case config.MisfireRunAll:
		return runAll(mk, due, missed, onTime, span)
	}
	at := latest
	if due.capped {
		at = now
	}
	return []state.Run{mk.queued(at, fmt.Sprintf("catch-up: %s (misfire = run_once)", span))}
}

// runAll queues one run per missed fire time, the most recent max_catch_up
// of them, and records the older ones it drops as one skipped run.
func runAll(mk runMaker, due dueFires, missed int, onTime bool, span string) []state.Run {
	if due.capped {
		return []state.Run{
			mk.skipped(due.first, fmt.Sprintf("%s; ran once now instead (misfire = run_all)", span)),
			mk.queued(mk.now, fmt.Sprintf("catch-up: %s (misfire = run_all)", span)),
		}
	}
	var runs []state.Run
	caught := min(missed, mk.s.MaxCatchUp)
	if dropped := missed - caught; dropped > 0 {
		runs = append(runs, mk.skipped(due.first, fmt.Sprintf("%s; dropped the oldest %d, max_catch_up = %d (misfire = run_all)",
			span, dropped, mk.s.MaxCatchUp)))
	}
	fires := due.recent
	if onTime {
		fires = fires[:len(fires)-1]
	}
	for _, t := range fires[len(fires)-caught:] {
		runs = append(runs, mk.queued(t, "catch-up for a missed fire time (misfire = run_all)"))
	}
	if onTime {
		runs = append(runs, mk.queued(due.recent[len(due.recent)-1], ""))
	}
	return runs
}

// concurrency applies the task's concurrency policy to the queued runs:
// "forbid" records them skipped while a run is still going, "replace"
// cancels the runs still going, "allow" leaves both.
func concurrency(mk runMaker, runs []state.Run) ([]state.Run, []int64) {
	active := mk.ts.Active
	if len(active) == 0 {
		return runs, nil
	}
	switch mk.ts.Task.Concurrency {
	case config.ConcurrencyAllow:
		return runs, nil
	case config.ConcurrencyReplace:
		ids := make([]int64, len(active))
		for i, r := range active {
			ids[i] = r.ID
		}
		for i := range runs {
			if runs[i].State == state.RunQueued {
				runs[i].Note = joinNotes(runs[i].Note, fmt.Sprintf("replaces %s (concurrency = replace)", DescribeRuns(active)))
			}
		}
		return runs, ids
	}
	return forbid(mk, runs), nil
}

// forbid turns the queued runs into one skipped run naming what is still
// going.
func forbid(mk runMaker, runs []state.Run) []state.Run {
	var out []state.Run
	var skipped []state.Run
	for _, r := range runs {
		if r.State == state.RunQueued {
			skipped = append(skipped, r)
			continue
		}
		out = append(out, r)
	}
	if len(skipped) == 0 {
		return out
	}
	why := fmt.Sprintf("%s still %s (concurrency = forbid)", DescribeRuns(mk.ts.Active), ActiveVerb(mk.ts.Active))
	last := skipped[len(skipped)-1]
	if len(skipped) > 1 {
		why = fmt.Sprintf("%d due runs skipped: %s", len(skipped), why)
	}
	return append(out, mk.skipped(last.ScheduledAt, joinNotes(last.Note, why)))
}
