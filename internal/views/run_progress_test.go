package views

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

var progressStart = time.Date(2025, 3, 14, 2, 0, 0, 0, time.UTC)

// runningImport is run 2 of hr-import with its import activity running.
func runningImport(total int64) *state.Run {
	return &state.Run{ID: 2, Task: "hr-import", Mode: "full", State: state.RunRunning,
		Activities: []state.ActivityResult{{Name: "import", Type: "import", State: state.RunRunning, Total: total}}}
}

// progressRun drives a non-terminal run view with a fake clock: the run
// starts, then every second of the clock step adds done objects to the
// running activity (or its running stage) and reports, seconds times.
type progressRun struct {
	t   *testing.T
	clk *clock.Fake
	out bytes.Buffer
	v   Run
	run *state.Run
}

func newProgressRun(t *testing.T, run *state.Run, terminal bool) *progressRun {
	p := &progressRun{t: t, clk: clock.NewFake(progressStart), run: run}
	p.v = NewRun(Streams{Stdout: &p.out}, Color{}, terminal, p.clk)
	p.v.Started(*run)
	p.v.Progress(run)
	return p
}

func (p *progressRun) seconds(n int, step int64) {
	for range n {
		p.clk.Advance(time.Second)
		act := &p.run.Activities[0]
		if len(act.Stages) > 0 {
			act.Stages[len(act.Stages)-1].Success += step
		}
		act.Success += step
		p.v.Progress(p.run)
		p.v.Progress(p.run) // a second report at the same time writes nothing more
	}
}

func (p *progressRun) lines() []string {
	return strings.Split(strings.TrimSuffix(p.out.String(), "\n"), "\n")
}

// TestProgressLinesEveryTenSeconds: without a terminal, a running activity
// gets a line every ten seconds of the clock and no more often, with the
// share done, the rate and the time left when the total is known.
func TestProgressLinesEveryTenSeconds(t *testing.T) {
	t.Parallel()
	p := newProgressRun(t, runningImport(4000), false)
	p.seconds(9, 100)
	if got := p.lines(); len(got) != 2 {
		t.Fatalf("after 9s: %q, want the run and its activity's start only", got)
	}
	p.seconds(26, 100)
	act := &p.run.Activities[0]
	act.State, act.Success = state.RunSucceeded, 4000
	p.v.Progress(p.run)
	want := []string{
		"Run 2 of task.hr-import (full mode, triggered by )",
		"activity 1: import (import) started",
		"activity 1: import (import): 1000 of 4000 objects (25%), 100/s, about 30s left",
		"activity 1: import (import): 2000 of 4000 objects (50%), 100/s, about 20s left",
		"activity 1: import (import): 3000 of 4000 objects (75%), 100/s, about 10s left",
		"activity 1: import (import) succeeded: 4000 ok, 0 failed, 0 skipped",
	}
	checkLines(t, p.lines(), want)
}

// TestProgressLinesWithoutTotal: with no total, or once the objects done
// pass an estimated total, a line gives the objects so far and the rate,
// and no share or time left.
func TestProgressLinesWithoutTotal(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		total int64
		want  []string
	}{
		{"unknown", -1, []string{
			"activity 1: import (import): 1000 objects so far, 100/s",
			"activity 1: import (import): 2000 objects so far, 100/s",
		}},
		{"estimate passed", 1500, []string{
			"activity 1: import (import): 1000 of 1500 objects (66%), 100/s, about 5s left",
			"activity 1: import (import): 2000 objects so far, 100/s",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newProgressRun(t, runningImport(tt.total), false)
			p.seconds(20, 100)
			checkLines(t, p.lines()[2:], tt.want)
		})
	}
}

// TestProgressLinesStage: a reconciliation's line is its running stage's.
func TestProgressLinesStage(t *testing.T) {
	t.Parallel()
	run := &state.Run{ID: 4, Task: "app-reconcile", Mode: "preview", State: state.RunRunning,
		Activities: []state.ActivityResult{{Name: "reconciliation", Type: "reconciliation", State: state.RunRunning, Total: -1,
			Success: 7, Stages: []state.StageResult{
				{Name: "operation_completion", State: state.RunSucceeded, Total: 7, Success: 7},
				{Name: "resource_objects", State: state.RunRunning, Total: 500}}}}}
	p := newProgressRun(t, run, false)
	p.seconds(10, 25)
	checkLines(t, p.lines()[2:], []string{
		"activity 1: reconciliation (reconciliation), resource_objects: 250 of 500 objects (50%), 25/s, about 10s left",
	})
}

func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestProgressBar: on a terminal the bar names the activity once, shows
// the total when known, and ends full at the objects done even when the
// total was an estimate; a cancelled activity's bar stays where it
// stopped.
func TestProgressBar(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		final state.RunState
		want  string
		never string
	}{
		{"succeeded", state.RunSucceeded, "100% |", "4100/4100"},
		{"cancelled", state.RunCancelled, "/4100", "100%"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newProgressRun(t, runningImport(4100), true)
			p.seconds(5, 500)
			act := &p.run.Activities[0]
			act.State = tt.final
			if tt.final == state.RunSucceeded {
				act.Success = 4000
			}
			p.v.Progress(p.run)
			frames := strings.FieldsFunc(p.out.String(), func(r rune) bool { return r == '\r' || r == '\n' })
			last := ""
			for _, f := range frames {
				if strings.Contains(f, "import (import)") {
					t.Errorf("the activity is named twice: %q", f)
				}
				if strings.TrimSpace(f) != "" {
					last = f
				}
			}
			if !strings.Contains(last, tt.want) || strings.Contains(last, tt.never) {
				t.Errorf("last frame %q: want %q in it and not %q", last, tt.want, tt.never)
			}
			if tt.final == state.RunSucceeded && !strings.Contains(last, "4000/4000") {
				t.Errorf("last frame %q does not end at the 4000 objects done", last)
			}
		})
	}
}

func TestFormatLeft(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		400 * time.Millisecond:                       "0s",
		28 * time.Second:                             "28s",
		4*time.Minute + 10*time.Second:               "4m10s",
		2*time.Hour + 5*time.Minute + 40*time.Second: "2h06m",
	} {
		if got := FormatLeft(d); got != want {
			t.Errorf("FormatLeft(%v) = %q, want %q", d, got, want)
		}
	}
}
