package planner

import (
	"github.com/syncline/syncline/config"
)

// scheduleSpec writes a schedule's timing and misfire policy. A cron
// schedule has every = null; an every schedule has cron and timezone null.
func scheduleSpec(w specWriter, s *config.Schedule) {
	if s.Every > 0 {
		w.set("cron", Null)
		w.duration("every", s.Every)
		w.set("timezone", Null)
	} else {
		w.cron("cron", s.Cron)
		w.set("every", Null)
		w.str("timezone", s.Timezone)
	}
	w.str("misfire", s.Misfire)
	w.int("max_catch_up", s.MaxCatchUp)
}
