package synchronization

import (
	"maps"
	"testing"
	"time"
)

// outputs is a Recorder that keeps only the outputs.
type outputs map[string]string

func (outputs) SetTotal(int64)                     {}
func (outputs) AddSuccess(int64)                   {}
func (outputs) AddSkipped(int64)                   {}
func (outputs) AddItemError(string, string, error) {}
func (outputs) AddStatistic(string, int64)         {}
func (o outputs) SetOutput(key, value string)      { o[key] = value }

func TestConsumerProgress(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	type batch struct {
		after time.Duration
		n     int64
	}
	cases := []struct {
		name    string
		batches []batch
		want    map[string]string
	}{
		{"nothing yet", nil, map[string]string{"messages": "0"}},
		{"one batch has no rate", []batch{{0, 500}},
			map[string]string{"messages": "500", "last_message": "2026-12-04T10:00:00Z"}},
		{"batches a second apart", []batch{{0, 500}, {time.Second, 500}, {2 * time.Second, 500}},
			map[string]string{"messages": "1500", "last_message": "2026-12-04T10:00:02Z", "rate": "500.0/s"}},
		{"an empty receive keeps the figures", []batch{{0, 100}, {10 * time.Second, 100}, {20 * time.Second, 0}},
			map[string]string{"messages": "200", "last_message": "2026-12-04T10:00:10Z", "rate": "10.0/s"}},
		{"the rate forgets what is older than a minute", []batch{{0, 10000}, {time.Second, 10000}, {5 * time.Minute, 10}, {5*time.Minute + 10*time.Second, 10}},
			map[string]string{"messages": "20020", "last_message": "2026-12-04T10:05:10Z", "rate": "1.0/s"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := outputs{}
			c := consumerProgress{rec: got}
			for _, b := range tc.batches {
				c.took(b.n, t0.Add(b.after))
			}
			c.report()
			if !maps.Equal(got, outputs(tc.want)) {
				t.Errorf("outputs %v, want %v", got, tc.want)
			}
		})
	}
}
