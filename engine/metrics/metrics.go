package metrics

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// namespace prefixes every metric of this package.
const namespace = "syncline"

// Options configures New. Zero values take the defaults named.
type Options struct {
	// Store answers the queue depth at each scrape; nil: no queue
	// metrics (syncline_queue_depth, syncline_runs_running).
	Store *state.Store
	// Clock says what "due" means for the queue depth. Default: the real
	// clock.
	Clock clock.Clock
	// Logger receives the errors of a scrape (a state that cannot be
	// read); the scrape still serves the other metrics. Default discards.
	Logger *slog.Logger
	// Sync registers the metrics of serve -sync (syncline_sync*,
	// syncline_webhook_deliveries_total); without it they are not
	// exposed, so that a server that does not sync raises no "no sync
	// for a day" alert.
	Sync bool
	// ScrapeTimeout bounds the state read of one scrape. Default 5s.
	ScrapeTimeout time.Duration
}

// Metrics holds syncline's metrics in a registry of its own.
type Metrics struct {
	registry *prometheus.Registry
	logger   *slog.Logger
	runs     runMetrics
	sync     syncMetrics
	notify   *prometheus.CounterVec
}

// New returns the metrics with every collector registered: syncline's, the
// Go runtime's and the process's.
func New(opts Options) *Metrics {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ScrapeTimeout <= 0 {
		opts.ScrapeTimeout = 5 * time.Second
	}
	m := &Metrics{registry: prometheus.NewRegistry(), logger: opts.Logger,
		runs: newRunMetrics(), sync: newSyncMetrics(), notify: newNotifyMetrics()}
	m.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.registry.MustRegister(m.runs.collectors()...)
	if opts.Sync {
		m.registry.MustRegister(m.sync.collectors()...)
	}
	m.registry.MustRegister(m.notify)
	if opts.Store != nil {
		m.registry.MustRegister(newQueueCollector(opts.Store, opts.Clock, opts.ScrapeTimeout))
	}
	return m
}

// Handler serves the metrics in the Prometheus exposition format, for
// /metrics; it counts its own scrapes (promhttp_metric_handler_*). A
// collector that fails (the state cannot be read) is logged and left out;
// the rest is served.
func (m *Metrics) Handler() http.Handler {
	h := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog:            errorLog{m.logger},
		ErrorHandling:       promhttp.ContinueOnError,
		Registry:            m.registry,
		MaxRequestsInFlight: 4,
	})
	return promhttp.InstrumentMetricHandler(m.registry, h)
}

// Registry is the registry the metrics live in, for a caller that adds
// collectors of its own.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// errorLog is promhttp's error log on slog.
type errorLog struct{ log *slog.Logger }

func (l errorLog) Println(v ...any) {
	l.log.Error("serving metrics failed", "error", strings.TrimSpace(fmt.Sprintln(v...)))
}
