package metrics

import (
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/syncline/syncline/engine/ops"
)

// syncOutcomes are every outcome a sync can have, as label values.
var syncOutcomes = []ops.Outcome{ops.SyncApplied, ops.SyncAlreadyAt, ops.SyncPlanOnly, ops.SyncFailed}

// syncMetrics are the metrics of serve -sync.
type syncMetrics struct {
	total       *prometheus.CounterVec // outcome
	status      *prometheus.GaugeVec   // outcome
	lastSuccess prometheus.Gauge
	duration    prometheus.Histogram
	webhook     *prometheus.CounterVec // code
}

func newSyncMetrics() syncMetrics {
	s := syncMetrics{
		total: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "syncs_total",
			Help: "Git syncs of serve -sync, by outcome (applied, already_at, plan_only, failed)."},
			[]string{"outcome"}),
		status: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: namespace, Name: "sync_status",
			Help: "1 for the outcome of the last git sync, 0 for the others (applied, already_at, plan_only, failed)."},
			[]string{"outcome"}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "sync_last_success_timestamp_seconds",
			Help: "When the last git sync that did not fail ended, in seconds since the Unix epoch; 0 before the first."}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Name: "sync_duration_seconds",
			Help: "How long git syncs took (fetch, plan and apply).", Buckets: []float64{0.5, 1, 5, 15, 60, 300}}),
		webhook: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "webhook_deliveries_total",
			Help: "Requests to the push webhook (/hooks/git), by the HTTP status it answered (202 a push accepted, whether it queued a sync or was for another branch; 200 a ping or a repeated delivery; 4xx refused, e.g. 401 a bad signature)."},
			[]string{"code"}),
	}
	for _, o := range syncOutcomes {
		s.total.WithLabelValues(outcomeLabel(o))
		s.status.WithLabelValues(outcomeLabel(o))
	}
	return s
}

func (s syncMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{s.total, s.status, s.lastSuccess, s.duration, s.webhook}
}

// outcomeLabel is a sync outcome as a label value: "already at" is
// already_at.
func outcomeLabel(o ops.Outcome) string { return strings.ReplaceAll(string(o), " ", "_") }

// SyncFinished records a git sync's end (it implements gitsync.Observer).
func (m *Metrics) SyncFinished(outcome ops.Outcome, at time.Time, took time.Duration) {
	label := outcomeLabel(outcome)
	m.sync.total.WithLabelValues(label).Inc()
	for _, o := range syncOutcomes {
		v := 0.0
		if outcomeLabel(o) == label {
			v = 1
		}
		m.sync.status.WithLabelValues(outcomeLabel(o)).Set(v)
	}
	if outcome != ops.SyncFailed {
		m.sync.lastSuccess.Set(float64(at.UnixNano()) / 1e9)
	}
	m.sync.duration.Observe(max(took, 0).Seconds())
}

// WebhookReceived counts a request to the push webhook by the status it
// was answered with (it implements gitsync.Observer).
func (m *Metrics) WebhookReceived(status int) {
	m.sync.webhook.WithLabelValues(strconv.Itoa(status)).Inc()
}
