package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// queueCollector reads the queue depth from the state at each scrape, so
// that it counts the runs every process queued (syncline run -detach, the
// scheduler of another server), not only this one's.
type queueCollector struct {
	store   *state.Store
	clock   clock.Clock
	timeout time.Duration
	depth   *prometheus.Desc
	running *prometheus.Desc
}

func newQueueCollector(store *state.Store, clk clock.Clock, timeout time.Duration) *queueCollector {
	return &queueCollector{store: store, clock: clk, timeout: timeout,
		depth: prometheus.NewDesc(namespace+"_queue_depth",
			"Queued runs in the state, by when: due (scheduled time come, waiting for a worker, for their task's concurrency policy or for a suspended task to resume) or later (scheduled after now, e.g. a retry's backoff).",
			[]string{"when"}, nil),
		running: prometheus.NewDesc(namespace+"_runs_running",
			"Runs running now, in every process that shares the state.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.running
}

// Collect implements prometheus.Collector: one read of the state.
func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	n, err := c.store.RunCountActive(ctx, c.clock.Now())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n.Due), "due")
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n.Later), "later")
	ch <- prometheus.MustNewConstMetric(c.running, prometheus.GaugeValue, float64(n.Running))
}
