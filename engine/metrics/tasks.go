package metrics

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The per-task families are kept out of the registry: with 10,000 tasks
// they are 170,000 series, and client_golang's Gather builds, checks and
// sorts every one of them at each scrape (0.7–1.9 s measured). taskTable
// keeps them as counts and renders each task's lines in the text
// exposition format once, when the task's run ends; a scrape writes the
// rendered lines of every family, rebuilt only when a run ended since the
// scrape before.

// The families of taskTable, in the order they are written.
const (
	famFinished = iota // syncline_runs_finished_total{outcome,task}
	famDuration        // syncline_run_duration_seconds{task}
	famObjects         // syncline_objects_processed_total{activity,result,task}
	famRate            // syncline_run_objects_per_second{task}
	famCount
)

var taskFamilies = [famCount]struct{ name, typ, help string }{
	{namespace + "_runs_finished_total", "counter",
		"Runs this server executed to their end, by task and outcome (the run's final state: succeeded, partial, failed, cancelled, interrupted)."},
	{namespace + "_run_duration_seconds", "histogram",
		"How long the runs this server executed took, from start to end, by task."},
	{namespace + "_objects_processed_total", "counter",
		"Objects the activities of finished runs processed, by task, activity type and result (success, failure, skipped)."},
	{namespace + "_run_objects_per_second", "gauge",
		"Objects per second the task's last finished run processed (all its activities, over its duration)."},
}

// taskStats are one task's counts and their rendered lines.
type taskStats struct {
	outcomes map[string]uint64
	buckets  []uint64 // runs per duration bucket (not cumulative); the last is +Inf
	sum      float64
	count    uint64
	objects  map[[2]string]float64 // activity, result
	rate     float64
	hasRate  bool
	lines    [famCount][]byte // nil: to render
}

// taskTable holds the per-task families.
type taskTable struct {
	mu    sync.Mutex
	tasks map[string]*taskStats
	names []string // sorted; nil when a task was added since
	out   [famCount][]byte
	stale bool
}

func newTaskTable() *taskTable { return &taskTable{tasks: map[string]*taskStats{}} }

// update changes task's counts with f.
func (t *taskTable) update(task string, f func(*taskStats)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.tasks[task]
	if s == nil {
		s = &taskStats{outcomes: map[string]uint64{}, objects: map[[2]string]float64{}, buckets: make([]uint64, len(durationBuckets)+1)}
		t.tasks[task] = s
		t.names = nil
	}
	f(s)
	s.lines = [famCount][]byte{}
	t.stale = true
}

// observe records a run duration in seconds.
func (s *taskStats) observe(seconds float64) {
	i, _ := slices.BinarySearch(durationBuckets, seconds) // the first bound ≥ seconds
	s.buckets[i]++
	s.sum += seconds
	s.count++
}

// writeTo writes the families, rebuilding them when a run ended since the
// last scrape.
func (t *taskTable) writeTo(w io.Writer) error {
	t.mu.Lock()
	if t.stale {
		t.render()
	}
	out := t.out
	t.mu.Unlock()
	for _, b := range out {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (t *taskTable) render() {
	if t.names == nil {
		t.names = make([]string, 0, len(t.tasks))
		for name := range t.tasks {
			t.names = append(t.names, name)
		}
		slices.Sort(t.names)
	}
	for f := range famCount {
		fam := taskFamilies[f]
		head := "# HELP " + fam.name + " " + fam.help + "\n# TYPE " + fam.name + " " + fam.typ + "\n"
		size := 0
		for _, name := range t.names {
			s := t.tasks[name]
			if s.lines[f] == nil {
				s.lines[f] = s.render(f, escapeLabel(name))
			}
			size += len(s.lines[f])
		}
		if size == 0 {
			t.out[f] = nil
			continue
		}
		b := make([]byte, 0, len(head)+size)
		b = append(b, head...)
		for _, name := range t.names {
			b = append(b, t.tasks[name].lines[f]...)
		}
		t.out[f] = b
	}
	t.stale = false
}

// render is the task's lines of family f; an empty, non-nil slice when it
// has none.
func (s *taskStats) render(f int, task string) []byte {
	b := []byte{}
	name := taskFamilies[f].name
	switch f {
	case famFinished:
		for _, o := range sortedKeys(s.outcomes) {
			b = append(b, name+`{outcome="`+escapeLabel(o)+`",task="`+task+`"} `...)
			b = strconv.AppendUint(b, s.outcomes[o], 10)
			b = append(b, '\n')
		}
	case famDuration:
		if s.count == 0 {
			return b
		}
		var cum uint64
		for i, n := range s.buckets {
			cum += n
			le := "+Inf"
			if i < len(durationBuckets) {
				le = strconv.FormatFloat(durationBuckets[i], 'g', -1, 64)
			}
			b = append(b, name+`_bucket{task="`+task+`",le="`+le+`"} `...)
			b = strconv.AppendUint(b, cum, 10)
			b = append(b, '\n')
		}
		b = append(b, name+`_sum{task="`+task+`"} `...)
		b = strconv.AppendFloat(b, s.sum, 'g', -1, 64)
		b = append(b, '\n')
		b = append(b, name+`_count{task="`+task+`"} `...)
		b = strconv.AppendUint(b, s.count, 10)
		b = append(b, '\n')
	case famObjects:
		keys := make([][2]string, 0, len(s.objects))
		for k := range s.objects {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
		for _, k := range keys {
			b = append(b, name+`{activity="`+escapeLabel(k[0])+`",result="`+escapeLabel(k[1])+`",task="`+task+`"} `...)
			b = strconv.AppendFloat(b, s.objects[k], 'g', -1, 64)
			b = append(b, '\n')
		}
	case famRate:
		if s.hasRate {
			b = append(b, name+`{task="`+task+`"} `...)
			b = strconv.AppendFloat(b, s.rate, 'g', -1, 64)
			b = append(b, '\n')
		}
	}
	return b
}

func sortedKeys(m map[string]uint64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// escapeLabel escapes a label value for the text format.
func escapeLabel(v string) string {
	if !strings.ContainsAny(v, "\\\"\n") {
		return v
	}
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}
