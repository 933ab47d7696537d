package planner

import (
	"fmt"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// Timing attributes: a change to one of them moves fire times.
var (
	scheduleTimingPaths = []string{"cron", "every", "timezone"}
	taskTimingPaths     = []string{"enabled", "schedule", "schedule.cron", "schedule.every", "schedule.timezone"}
)

// scheduleFromSpec rebuilds a schedule from the timing attributes of a
// spec, written under prefix ("" for a schedule definition, "schedule." for
// a task's inline schedule). ok is false when the spec has no timing.
func scheduleFromSpec(spec map[string]string, prefix string) (*config.Schedule, bool, error) {
	cron, hasCron := Unquote(spec[prefix+"cron"])
	every, hasEvery := Unquote(spec[prefix+"every"])
	if !hasCron && !hasEvery {
		return nil, false, nil
	}
	tz, _ := Unquote(spec[prefix+"timezone"])
	var interval time.Duration
	if hasEvery {
		d, err := config.ParseDuration(every)
		if err != nil {
			return nil, false, fmt.Errorf("every %q: %w", every, err)
		}
		interval = d
	}
	s, err := config.NewSchedule(cron, tz, interval)
	return s, err == nil, err
}

// taskSchedule returns the schedule a task spec fires on: its inline
// schedule, or the named schedule it references, found with lookup. A
// disabled task, or one without a schedule, has none.
func taskSchedule(spec map[string]string, lookup func(addr string) *state.Definition) (*config.Schedule, bool) {
	if spec == nil || spec["enabled"] == "false" {
		return nil, false
	}
	if ref := spec["schedule"]; strings.HasPrefix(ref, config.KindSchedule+".") {
		d := lookup(ref)
		if d == nil {
			return nil, false
		}
		s, ok, _ := scheduleFromSpec(d.Spec, "")
		return s, ok
	}
	s, ok, _ := scheduleFromSpec(spec, "schedule.")
	return s, ok
}

// timingChanged reports whether any of paths differs between two specs.
func timingChanged(before, after map[string]string, paths []string) bool {
	for _, p := range paths {
		b, hadBefore := before[p]
		a, hasAfter := after[p]
		if hadBefore != hasAfter || b != a {
			return true
		}
	}
	return false
}

// StoredTaskSchedule returns the schedule a stored task definition fires on,
// resolving a named schedule among defs; ok is false for a manual or
// disabled task.
func StoredTaskSchedule(task *state.Definition, defs map[string]*state.Definition) (*config.Schedule, bool) {
	return taskSchedule(task.Spec, func(addr string) *state.Definition { return defs[addr] })
}
