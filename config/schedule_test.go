package config

import (
	"testing"
	"time"
)

func TestScheduleNextAcrossDST(t *testing.T) {
	t.Parallel()
	prague, err := time.LoadLocation("Europe/Prague")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		sched *Schedule
		after time.Time
		want  time.Time
	}{
		{
			name:  "02:30 does not exist on the spring-forward day and is skipped",
			sched: &Schedule{Cron: "30 2 * * *", Location: prague},
			after: time.Date(2026, 3, 28, 12, 0, 0, 0, prague),
			want:  time.Date(2026, 3, 30, 2, 30, 0, 0, prague),
		},
		{
			name:  "01:00 in Prague is midnight UTC in winter",
			sched: &Schedule{Cron: "0 1 * * *", Location: prague},
			after: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC),
			want:  time.Date(2026, 1, 11, 0, 0, 0, 0, time.UTC),
		},
		{
			name:  "01:00 in Prague is 23:00 UTC the day before in summer",
			sched: &Schedule{Cron: "0 1 * * *", Location: prague},
			after: time.Date(2026, 7, 10, 0, 0, 0, 0, time.UTC),
			want:  time.Date(2026, 7, 10, 23, 0, 0, 0, time.UTC),
		},
		{
			name:  "every adds the interval",
			sched: &Schedule{Every: 15 * time.Minute},
			after: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			want:  time.Date(2026, 1, 1, 0, 15, 0, 0, time.UTC),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.sched.Next(tt.after); !got.Equal(tt.want) {
				t.Errorf("Next(%s) = %s, want %s", tt.after, got, tt.want)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"15m", 15 * time.Minute, true},
		{"7d", 7 * 24 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"90s", 90 * time.Second, true},
		{"", 0, false},
		{"d", 0, false},
		{"7days", 0, false},
		{"99999999d", 0, false},
		{"1h-", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestNextAcrossDaylightSaving: in the repeated hour of a fall-back day a
// fixed-hour cron fires each wall-clock time once, an every-hour one fires
// in both hours; a time skipped by spring-forward is skipped that day. The
// planner's previews and the engine both rely on it.
func TestNextAcrossDaylightSaving(t *testing.T) {
	t.Parallel()
	prague, err := time.LoadLocation("Europe/Prague")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		cron  string
		from  string
		wants []string // the next fire times, in Prague's offsets
	}{
		// 2026-10-25: 03:00 CEST becomes 02:00 CET.
		{"30 2 * * *", "2026-10-25T00:00:00+02:00", []string{"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}},
		{"30 1-3 * * *", "2026-10-25T02:00:00+02:00", []string{"2026-10-25T02:30:00+02:00", "2026-10-25T03:30:00+01:00"}},
		{"0 * * * *", "2026-10-25T01:30:00+02:00", []string{"2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"}},
		{"@hourly", "2026-10-25T01:30:00+02:00", []string{"2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00"}},
		// From inside the repeated hour, after its first 02:30 fired.
		{"30 2 * * *", "2026-10-25T02:40:00+02:00", []string{"2026-10-26T02:30:00+01:00"}},
		// 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist.
		{"30 2 * * *", "2026-03-29T00:00:00+01:00", []string{"2026-03-30T02:30:00+02:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.cron+" from "+tt.from, func(t *testing.T) {
			s := &Schedule{Cron: tt.cron, Timezone: "Europe/Prague", Location: prague}
			cur := at(tt.from)
			for _, want := range tt.wants {
				cur = s.Next(cur)
				if !cur.Equal(at(want)) {
					t.Fatalf("next = %s, want %s", cur.In(prague).Format(time.RFC3339), want)
				}
			}
		})
	}
}
