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
