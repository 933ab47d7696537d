package metrics_test

import (
	"slices"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/metrics"
	"github.com/syncline/syncline/state"
)

// TestTaskFamilies: the per-task families, rendered by hand, parse as the
// exposition format and say what happened: cumulative duration buckets (a
// duration on a bound counts in it), outcomes, objects and the last rate;
// a task name that needs escaping stays one label value; a scrape after
// another run ends shows it.
func TestTaskFamilies(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Options{})
	start := time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)
	odd := `odd "task"\name`
	for _, r := range []struct {
		task  string
		state state.RunState
		took  time.Duration
		ok    int64
	}{
		{"nightly", state.RunSucceeded, 5 * time.Second, 10},
		{"nightly", state.RunFailed, 5 * time.Hour, 0},
		{odd, state.RunPartial, time.Second, 4},
	} {
		m.RunFinished(&state.Run{Task: r.task, State: r.state, StartedAt: start, FinishedAt: start.Add(r.took),
			Activities: []state.ActivityResult{{Type: "import", Success: r.ok, Failure: 1}}})
	}
	_, fams := scrape(t, m.Handler())
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"syncline_runs_finished_total", []string{"outcome=failed", "task=nightly"}, 1},
		{"syncline_runs_finished_total", []string{"outcome=succeeded", "task=nightly"}, 1},
		{"syncline_runs_finished_total", []string{"outcome=partial", "task=" + odd}, 1},
		{"syncline_run_duration_seconds", []string{"task=nightly"}, 2},
		{"syncline_objects_processed_total", []string{"activity=import", "result=failure", "task=nightly"}, 2},
		{"syncline_objects_processed_total", []string{"activity=import", "result=success", "task=nightly"}, 10},
		{"syncline_run_objects_per_second", []string{"task=nightly"}, 1.0 / (5 * 3600)},
		{"syncline_run_objects_per_second", []string{"task=" + odd}, 5},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	var buckets []uint64
	for _, mt := range fams["syncline_run_duration_seconds"].GetMetric() {
		if mt.GetLabel()[0].GetValue() != "nightly" {
			continue
		}
		for _, bk := range mt.GetHistogram().GetBucket() {
			buckets = append(buckets, bk.GetCumulativeCount())
		}
		if sum := mt.GetHistogram().GetSampleSum(); sum != 5+5*3600 {
			t.Errorf("sum %v", sum)
		}
	}
	// Bounds 1, 5, 15, 60, 300, 900, 3600, 14400 s and +Inf: 5 s is in the
	// bucket of 5, 5 h only in +Inf.
	if want := []uint64{0, 1, 1, 1, 1, 1, 1, 1, 2}; !slices.Equal(buckets, want) {
		t.Errorf("buckets %v, want %v", buckets, want)
	}
	m.RunFinished(&state.Run{Task: "nightly", State: state.RunFailed, StartedAt: start, FinishedAt: start.Add(time.Second)})
	if _, fams := scrape(t, m.Handler()); value(fams, "syncline_runs_finished_total", "outcome=failed", "task=nightly") != 2 {
		t.Error("a scrape after another run ended does not count it")
	}
}
