package metrics_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/syncline/syncline/engine"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/engine/metrics"
	"github.com/syncline/syncline/engine/notify"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

// secretToken is a sensitive variable's value, in the notification
// webhook's URL; employee IDs are the CSV's object identifiers. None may
// appear in a scrape.
const secretToken = "tok-5f1c9e-SECRET"

var employeeIDs = []string{"emp-73910", "emp-73911", "emp-73912"}

const runsHCL = `
variable "hook_token" {
  type      = string
  sensitive = true
  default   = "` + secretToken + `"
}
resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }
    inbound {
      name            = lower(attributes.login)
      employee_number = attributes.emp_id
    }
    reactions {
      unmatched = "add_focus"
      unlinked  = "link"
      linked    = "synchronize"
    }
  }
}
task "hr-import" {
  activity "import" {
    resource = resource.hr
    kind     = "account"
  }
  notify {
    on      = ["succeeded"]
    webhook = "HOOK/${var.hook_token}"
  }
}
task "broken" {
  activity "exec" {
    command = "sh"
    args    = ["-c", "exit 3"]
  }
}
`

type dtoFamily = dto.MetricFamily

func newLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// observer is the metrics, telling the test when a run ended and when a
// notification was attempted, so that the test waits instead of sleeping.
type observer struct {
	*metrics.Metrics
	finished  chan *state.Run
	delivered chan notify.Delivery
}

func (o observer) RunFinished(r *state.Run) {
	o.Metrics.RunFinished(r)
	o.finished <- r
}

func (o observer) NotificationDelivered(d notify.Delivery) {
	o.Metrics.NotificationDelivered(d)
	o.delivered <- d
}

var _ engine.Observer = observer{}

func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}

// scrape GETs /metrics through h and parses it.
func scrape(t testing.TB, h http.Handler) (string, map[string]*dtoFamily) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	text := rec.Body.String()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parsing the scrape: %v\n%s", err, text)
	}
	return text, families
}

// value is the value of the sample of family name whose labels are
// labels ("k=v" pairs, all of them), or -1 when there is none.
func value(families map[string]*dtoFamily, name string, labels ...string) float64 {
	f := families[name]
	if f == nil {
		return -1
	}
	for _, m := range f.GetMetric() {
		var got []string
		for _, l := range m.GetLabel() {
			got = append(got, l.GetName()+"="+l.GetValue())
		}
		if strings.Join(got, ",") != strings.Join(labels, ",") {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// TestMetricsOfRealRuns: a real server on a fake clock executes a run that
// succeeds (an import of three employees, notified by webhook) and one
// that fails; the scrape counts both by outcome, the objects the import
// processed, the scheduler lag, the delivery and the queue, and shows no
// secret and no object identifier.
func TestMetricsOfRealRuns(t *testing.T) {
	t.Parallel()
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	t.Cleanup(hook.Close)
	b := enginetest.Setup(t, strings.Replace(runsHCL, "HOOK", hook.URL, 1))
	csv := "emp_id,login\n" + employeeIDs[0] + ",Ada\n" + employeeIDs[1] + ",Bob\n" + employeeIDs[2] + ",Cyd\n"
	if err := os.WriteFile(filepath.Join(b.Dir, "hr.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, task := range []string{"hr-import", "broken"} {
		if _, err := runner.EnqueueManual(b.Ctx, b.Store, b.Catalog(t), task, "", "tester"); err != nil {
			t.Fatal(err)
		}
	}
	m := metrics.New(metrics.Options{Store: b.Store, Clock: b.Clock})
	obs := observer{Metrics: m, finished: make(chan *state.Run, 4), delivered: make(chan notify.Delivery, 4)}
	b.Clock.Advance(1500 * time.Millisecond) // the runs start 1.5s after they were queued
	srv := startServer(t, b, obs)
	for range 2 {
		receive(t, obs.finished, "a run")
	}
	if d := receive(t, obs.delivered, "the notification"); d.Err != nil {
		t.Fatalf("notification: %v", d.Err)
	}
	if err := srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}

	text, fams := scrape(t, m.Handler())
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"syncline_runs_finished_total", []string{"outcome=succeeded", "task=hr-import"}, 1},
		{"syncline_runs_finished_total", []string{"outcome=failed", "task=broken"}, 1},
		{"syncline_run_duration_seconds", []string{"task=hr-import"}, 1},
		{"syncline_run_duration_seconds", []string{"task=broken"}, 1},
		{"syncline_objects_processed_total", []string{"activity=import", "result=success", "task=hr-import"}, 3},
		{"syncline_scheduler_lag_seconds", []string{"trigger=manual"}, 2},
		{"syncline_notification_deliveries_total", []string{"channel=webhook", "result=delivered"}, 1},
		{"syncline_queue_depth", []string{"when=due"}, 0},
		{"syncline_runs_running", nil, 0},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s{%s} = %v, want %v", c.name, strings.Join(c.labels, ","), got, c.want)
		}
	}
	if fams["syncline_sync_status"] != nil {
		t.Error("sync metrics from a server that does not sync")
	}
	if lag := fams["syncline_scheduler_lag_seconds"].GetMetric()[0].GetHistogram().GetSampleSum(); lag < 3 {
		t.Errorf("scheduler lag: %v s over two runs, want at least 1.5s each", lag)
	}
	for _, f := range []string{"go_goroutines", "process_cpu_seconds_total", "promhttp_metric_handler_requests_total"} {
		if fams[f] == nil {
			t.Errorf("no %s in the scrape", f)
		}
	}
	checkNoLeak(t, text, fams, append([]string{secretToken, strings.TrimPrefix(hook.URL, "http://")}, employeeIDs...))
}

// checkNoLeak fails when the scrape holds one of the forbidden strings, or
// a syncline metric carries a label outside the bounded set.
func checkNoLeak(t *testing.T, text string, fams map[string]*dtoFamily, forbidden []string) {
	t.Helper()
	for _, s := range forbidden {
		if strings.Contains(text, s) {
			t.Errorf("the scrape shows %q", s)
		}
	}
	allowed := map[string]bool{"task": true, "outcome": true, "activity": true, "result": true,
		"trigger": true, "when": true, "code": true, "channel": true}
	for name, f := range fams {
		if !strings.HasPrefix(name, "syncline_") {
			continue
		}
		if f.GetHelp() == "" {
			t.Errorf("%s has no HELP", name)
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if !allowed[l.GetName()] {
					t.Errorf("%s has a label %s=%q outside the bounded set", name, l.GetName(), l.GetValue())
				}
			}
		}
	}
}

func startServer(t *testing.T, b *enginetest.Bundle, obs engine.Observer) *engine.Server {
	t.Helper()
	srv, err := engine.NewServer(engine.ServerConfig{Store: b.Store, Dir: b.Dir, Clock: b.Clock,
		WorkerID: "metrics-test:1", Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(b.Ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	return srv
}

// TestQueueDepthReadsTheState: the queue collector counts the runs queued
// in the state by any process, due or later, at each scrape.
func TestQueueDepthReadsTheState(t *testing.T) {
	t.Parallel()
	b := enginetest.Setup(t, strings.Replace(enginetest.ConcurrencyHCL, "POLICY", "allow", 1))
	m := metrics.New(metrics.Options{Store: b.Store, Clock: b.Clock})
	_, fams := scrape(t, m.Handler())
	if got := value(fams, "syncline_queue_depth", "when=due"); got != 0 {
		t.Fatalf("empty queue: %v", got)
	}
	for range 2 {
		if _, err := runner.EnqueueManual(b.Ctx, b.Store, b.Catalog(t), "job", "", "tester"); err != nil {
			t.Fatal(err)
		}
	}
	later := state.Run{Task: "job", Trigger: state.TriggerRetry, Mode: "full", ScheduledAt: b.Clock.Now().Add(time.Minute)}
	if _, err := b.Store.RunEnqueue(b.Ctx, later); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Store.RunClaim(b.Ctx, "elsewhere:1:1", b.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	_, fams = scrape(t, m.Handler())
	for _, c := range []struct {
		labels []string
		name   string
		want   float64
	}{{[]string{"when=due"}, "syncline_queue_depth", 1}, {[]string{"when=later"}, "syncline_queue_depth", 1},
		{nil, "syncline_runs_running", 1}} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	b.Clock.Advance(time.Minute)
	if _, fams = scrape(t, m.Handler()); value(fams, "syncline_queue_depth", "when=due") != 2 {
		t.Errorf("a minute later the retry is due too: %v", value(fams, "syncline_queue_depth", "when=due"))
	}
}

// TestAStateThatCannotBeReadLeavesTheRest: a failing queue read is logged
// and the other metrics are still served.
func TestAStateThatCannotBeReadLeavesTheRest(t *testing.T) {
	t.Parallel()
	b := enginetest.Setup(t, enginetest.ExecTask(`command = "true"`))
	var log strings.Builder
	m := metrics.New(metrics.Options{Store: b.Store, Clock: b.Clock, Logger: newLogger(&log)})
	m.RunFinished(&state.Run{Task: "job", State: state.RunSucceeded})
	b.Store.Close()
	_, fams := scrape(t, m.Handler())
	if value(fams, "syncline_runs_finished_total", "outcome=succeeded", "task=job") != 1 {
		t.Error("the run counter is missing")
	}
	if fams["syncline_queue_depth"] != nil {
		t.Error("a queue depth without a state")
	}
	if !strings.Contains(log.String(), "serving metrics failed") {
		t.Errorf("log: %q", log.String())
	}
}

// TestObjectsPerSecond: the rate is the last run's objects, over all its
// activities and results, divided by its duration.
func TestObjectsPerSecond(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Options{})
	start := enginetest.Start
	m.RunFinished(&state.Run{Task: "recon", State: state.RunPartial, StartedAt: start, FinishedAt: start.Add(10 * time.Second),
		Activities: []state.ActivityResult{
			{Type: "import", Success: 30, Failure: 5, Skipped: 5},
			{Type: "reconciliation", Success: 10},
		}})
	_, fams := scrape(t, m.Handler())
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"syncline_run_objects_per_second", []string{"task=recon"}, 5},
		{"syncline_objects_processed_total", []string{"activity=import", "result=failure", "task=recon"}, 5},
		{"syncline_objects_processed_total", []string{"activity=reconciliation", "result=success", "task=recon"}, 10},
		{"syncline_runs_finished_total", []string{"outcome=partial", "task=recon"}, 1},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s{%s} = %v, want %v", c.name, strings.Join(c.labels, ","), got, c.want)
		}
	}
}
