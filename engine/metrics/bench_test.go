package metrics_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/engine/metrics"
	"github.com/syncline/syncline/state"
)

// BenchmarkScrape10000Tasks: one scrape of the metrics of 10,000 tasks,
// each with a succeeded and a failed run (two outcomes, a duration
// histogram, an objects counter per result and a rate), plus the queue
// depth read from a real state; docs/performance.md records the figure
// (budget: well under 50 ms).
func BenchmarkScrape10000Tasks(b *testing.B) {
	bundle := enginetest.Setup(b, enginetest.ExecTask(`command = "true"`))
	m := metrics.New(metrics.Options{Store: bundle.Store, Clock: bundle.Clock, Sync: true})
	start := enginetest.Start
	for i := range 10000 {
		task := fmt.Sprintf("task-%05d", i)
		for _, st := range []state.RunState{state.RunSucceeded, state.RunFailed} {
			m.RunStarted(&state.Run{Task: task, Trigger: state.TriggerSchedule}, 300*time.Millisecond)
			m.RunFinished(&state.Run{Task: task, State: st, StartedAt: start, FinishedAt: start.Add(42 * time.Second),
				Activities: []state.ActivityResult{{Type: "import", Success: 900, Failure: 3, Skipped: 97}}})
		}
	}
	h := m.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	b.ReportMetric(float64(rec.Body.Len())/(1<<20), "MiB/scrape")
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
