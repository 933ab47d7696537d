package planner

import (
	"strconv"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/zclconf/go-cty/cty"
)

// taskSpec writes a task: its settings with their defaults, its schedule
// (schedule = schedule.NAME, an inline schedule.* or null), after, retry,
// notify[i] and activity[i].
func taskSpec(w specWriter, t *config.Task) {
	w.str("description", t.Description)
	w.str("owner", t.Owner)
	w.int("priority", t.Priority)
	w.bool("enabled", t.Enabled)
	w.str("mode", string(t.Mode))
	w.str("concurrency", t.Concurrency)
	w.duration("timeout", t.Timeout)
	switch {
	case t.ScheduleRef != nil:
		w.ref("schedule", t.ScheduleRef)
	case t.Schedule != nil:
		scheduleSpec(w.at("schedule"), t.Schedule)
	default:
		w.set("schedule", Null)
	}
	w.refs("after", t.After)
	if t.Retry != nil {
		w.int("retry.attempts", t.Retry.Attempts)
		w.duration("retry.backoff", t.Retry.Backoff)
		w.duration("retry.max_backoff", t.Retry.MaxBackoff)
	}
	for i, n := range t.Notify {
		nw := w.at(indexed("notify", i))
		nw.strings("on", n.On)
		// The settings after on and webhook are written only when set, so
		// that tasks applied before they existed see no change.
		if n.Channel() == "webhook" {
			nw.value("webhook", n.Webhook, false)
		} else {
			nw.strings("email", n.Email)
		}
		if n.Secret != cty.NilVal {
			nw.value("secret", n.Secret, true)
		}
		for _, s := range []struct{ name, v string }{{"format", n.Format}, {"subject", n.Subject}} {
			if s.v != "" {
				nw.str(s.name, s.v)
			}
		}
		for _, d := range []struct {
			name string
			v    time.Duration
		}{{"timeout", n.Timeout}, {"give_up_after", n.GiveUpAfter}} {
			if d.v > 0 {
				nw.duration(d.name, d.v)
			}
		}
	}
	for i, a := range t.Activities {
		activitySpec(w.at(indexed("activity", i)), a)
	}
}

// indexed returns name[i].
func indexed(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}
