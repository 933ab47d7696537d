package planner

import (
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

func TestNewSchedule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cron, tz string
		every    time.Duration
		ok       bool
		wantZone string
	}{
		{"0 2 * * *", "Europe/Prague", 0, true, "Europe/Prague"},
		{"@daily", "", 0, true, "UTC"},
		{"", "", time.Hour, true, "UTC"},
		{"", "UTC", time.Hour, true, "UTC"},
		{"", "", 0, false, ""},
		{"0 2 * * *", "", time.Hour, false, ""},
		{"", "Europe/Prague", time.Hour, false, ""},
		{"0 2 * *", "", 0, false, ""},
		{"@every 1h", "", 0, false, ""},
		{"0 2 * * *", "Local", 0, false, ""},
		{"0 2 * * *", "Mars/Olympus", 0, false, ""},
	}
	for _, tt := range tests {
		s, err := config.NewSchedule(tt.cron, tt.tz, tt.every)
		if (err == nil) != tt.ok {
			t.Errorf("NewSchedule(%q, %q, %v): err = %v, want ok=%v", tt.cron, tt.tz, tt.every, err, tt.ok)
			continue
		}
		if tt.ok && (s.Timezone != tt.wantZone || s.Location == nil || s.Next(testNow).IsZero()) {
			t.Errorf("NewSchedule(%q, %q, %v) = %+v", tt.cron, tt.tz, tt.every, s)
		}
	}
}

func TestScheduleFromSpec(t *testing.T) {
	t.Parallel()
	defs := mustDesired(t, baseFiles, secretVar)
	s, ok, err := scheduleFromSpec(defs["schedule.nightly"].Spec, "")
	if err != nil || !ok || s.Cron != "0 2 * * *" || s.Timezone != "Europe/Prague" {
		t.Errorf("scheduleFromSpec = %+v, %v, %v", s, ok, err)
	}
	if _, ok, _ := scheduleFromSpec(defs["task.hr-import"].Spec, "schedule."); ok {
		t.Error("a task with a named schedule has an inline one")
	}
	s, ok = taskSchedule(defs["task.hr-import"].Spec, func(addr string) *state.Definition { return defs[addr] })
	if !ok || s.Cron != "0 2 * * *" {
		t.Errorf("taskSchedule = %+v, %v", s, ok)
	}
	s, ok, err = scheduleFromSpec(map[string]string{"every": `"1h30m"`, "cron": "null", "timezone": "null"}, "")
	if err != nil || !ok || s.Every != 90*time.Minute {
		t.Errorf("every schedule = %+v, %v, %v", s, ok, err)
	}
}
