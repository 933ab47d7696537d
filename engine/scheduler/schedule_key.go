package scheduler

import (
	"fmt"

	"github.com/syncline/syncline/config"
)

// ScheduleKey is the canonical timing a task's next fire time is computed
// for: "every 15m" or `cron "0 2 * * *" in Europe/Prague`, and "" for a
// task that has no schedule or is disabled. The scheduler stores it beside
// NextFireAt and recomputes the next fire time when it changes. Misfire
// settings are not part of it: changing them keeps the next fire time.
func ScheduleKey(t *config.Task) string {
	s := taskSchedule(t)
	switch {
	case s == nil:
		return ""
	case s.Every > 0:
		return "every " + config.DescribeDuration(s.Every)
	}
	return fmt.Sprintf("cron %q in %s", s.Cron, s.Timezone)
}

// taskSchedule is the schedule t fires on, or nil when it has none or is
// disabled (enabled = false).
func taskSchedule(t *config.Task) *config.Schedule {
	if t == nil || !t.Enabled {
		return nil
	}
	return t.Schedule
}
