package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/syncline/syncline/state"
)

// Bucket bounds, in seconds. A run takes from a second (an exec) to hours
// (a reconciliation of a large directory); a run starts within the poll
// interval of its scheduled time unless the workers are all busy.
var (
	durationBuckets = []float64{1, 5, 15, 60, 300, 900, 3600, 4 * 3600}
	lagBuckets      = []float64{0.1, 0.5, 1, 2.5, 5, 15, 60, 300}
)

// runMetrics are the metrics of the runs a server executes: the per-task
// families in a taskTable, the scheduler lag in the registry.
type runMetrics struct {
	tasks *taskTable
	lag   *prometheus.HistogramVec // trigger
}

func newRunMetrics() runMetrics {
	return runMetrics{
		tasks: newTaskTable(),
		lag: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "scheduler_lag_seconds",
			Help: "Delay between a run's scheduled time and the moment a worker started it, by trigger (schedule, manual, after, retry, recovery).", Buckets: lagBuckets},
			[]string{"trigger"}),
	}
}

func (r runMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{r.lag}
}

// RunStarted records the scheduler lag of a run a worker starts (it
// implements engine.Observer).
func (m *Metrics) RunStarted(run *state.Run, delay time.Duration) {
	m.runs.lag.WithLabelValues(string(run.Trigger)).Observe(max(delay, 0).Seconds())
}

// RunFinished counts a run that ended, its duration and the objects its
// activities processed (it implements engine.Observer).
func (m *Metrics) RunFinished(run *state.Run) {
	m.runs.tasks.update(run.Task, func(s *taskStats) {
		s.outcomes[string(run.State)]++
		var took time.Duration
		if !run.StartedAt.IsZero() && !run.FinishedAt.IsZero() {
			took = max(run.FinishedAt.Sub(run.StartedAt), 0)
			s.observe(took.Seconds())
		}
		var processed int64
		for _, a := range run.Activities {
			for _, c := range []struct {
				result string
				n      int64
			}{{"success", a.Success}, {"failure", a.Failure}, {"skipped", a.Skipped}} {
				if c.n > 0 {
					s.objects[[2]string{a.Type, c.result}] += float64(c.n)
					processed += c.n
				}
			}
		}
		s.rate, s.hasRate = 0, true
		if took > 0 {
			s.rate = float64(processed) / took.Seconds()
		}
	})
}
