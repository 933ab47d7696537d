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

// runMetrics are the metrics of the runs a server executes.
type runMetrics struct {
	finished *prometheus.CounterVec   // task, outcome
	duration *prometheus.HistogramVec // task
	objects  *prometheus.CounterVec   // task, activity, result
	rate     *prometheus.GaugeVec     // task
	lag      *prometheus.HistogramVec // trigger
}

func newRunMetrics() runMetrics {
	return runMetrics{
		finished: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "runs_finished_total",
			Help: "Runs this server executed to their end, by task and outcome (the run's final state: succeeded, partial, failed, cancelled, interrupted)."},
			[]string{"task", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "run_duration_seconds",
			Help: "How long the runs this server executed took, from start to end, by task.", Buckets: durationBuckets},
			[]string{"task"}),
		objects: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "objects_processed_total",
			Help: "Objects the activities of finished runs processed, by task, activity type and result (success, failure, skipped)."},
			[]string{"task", "activity", "result"}),
		rate: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: namespace, Name: "run_objects_per_second",
			Help: "Objects per second the task's last finished run processed (all its activities, over its duration)."},
			[]string{"task"}),
		lag: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "scheduler_lag_seconds",
			Help: "Delay between a run's scheduled time and the moment a worker started it, by trigger (schedule, manual, after, retry, recovery).", Buckets: lagBuckets},
			[]string{"trigger"}),
	}
}

func (r runMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{r.finished, r.duration, r.objects, r.rate, r.lag}
}

// RunStarted records the scheduler lag of a run a worker starts (it
// implements engine.Observer).
func (m *Metrics) RunStarted(run *state.Run, delay time.Duration) {
	m.runs.lag.WithLabelValues(string(run.Trigger)).Observe(max(delay, 0).Seconds())
}

// RunFinished counts a run that ended, its duration and the objects its
// activities processed (it implements engine.Observer).
func (m *Metrics) RunFinished(run *state.Run) {
	m.runs.finished.WithLabelValues(run.Task, string(run.State)).Inc()
	var took time.Duration
	if !run.StartedAt.IsZero() && !run.FinishedAt.IsZero() {
		took = max(run.FinishedAt.Sub(run.StartedAt), 0)
		m.runs.duration.WithLabelValues(run.Task).Observe(took.Seconds())
	}
	var processed int64
	for _, a := range run.Activities {
		for _, c := range []struct {
			result string
			n      int64
		}{{"success", a.Success}, {"failure", a.Failure}, {"skipped", a.Skipped}} {
			if c.n > 0 {
				m.runs.objects.WithLabelValues(run.Task, a.Type, c.result).Add(float64(c.n))
				processed += c.n
			}
		}
	}
	rate := 0.0
	if took > 0 {
		rate = float64(processed) / took.Seconds()
	}
	m.runs.rate.WithLabelValues(run.Task).Set(rate)
}
