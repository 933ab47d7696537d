package views

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// ProgressLineInterval is the least time between two progress lines of an
// activity when the output is not a terminal.
const ProgressLineInterval = 10 * time.Second

// progressView shows a running run: on a terminal, a progress bar for the
// current activity (objects done of the total when known, rate, ETA);
// elsewhere, a plain line when an activity starts and when it ends, and
// between them a progress line at most every ProgressLineInterval
// (progressLines).
type progressView struct {
	w        io.Writer
	terminal bool
	clk      clock.Clock

	mu      sync.Mutex
	current int  // index of the activity shown, -1 before the first
	ended   bool // the shown activity's end has been reported
	bar     *progressBar
	lines   progressLines
}

func newProgressView(w io.Writer, terminal bool, clk clock.Clock) *progressView {
	return &progressView{w: w, terminal: terminal, clk: clk, current: -1}
}

// update is the engine's progress callback.
func (p *progressView) update(r *state.Run) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, act := range r.Activities {
		if act.State == "" || act.State == state.RunQueued {
			continue
		}
		if i > p.current {
			p.finishCurrent(r)
			p.start(i, act)
		}
		if i == p.current {
			p.advance(act)
		}
	}
}

func (p *progressView) start(i int, act state.ActivityResult) {
	p.current, p.ended = i, false
	if p.terminal {
		p.bar = newProgressBar(p.w, act)
		return
	}
	fmt.Fprintf(p.w, "activity %d: %s (%s) started\n", i+1, act.Name, act.Type)
	p.lines = progressLines{w: p.w, index: i + 1, started: p.clk.Now(), last: p.clk.Now()}
}

func (p *progressView) advance(act state.ActivityResult) {
	switch {
	case act.State.Final():
		if !p.ended {
			p.end(act)
		}
	case p.bar != nil:
		p.bar.show(act)
	case !p.terminal:
		p.lines.show(act, p.clk.Now())
	}
}

// finishCurrent ends the shown activity if the run moved past it.
func (p *progressView) finishCurrent(r *state.Run) {
	if p.current >= 0 && p.current < len(r.Activities) && !p.ended {
		p.end(r.Activities[p.current])
	}
}

func (p *progressView) end(act state.ActivityResult) {
	p.ended = true
	if p.bar != nil {
		p.bar.finish(act)
		p.bar = nil
	}
	if !p.terminal {
		fmt.Fprintf(p.w, "activity %d: %s (%s) %s: %d ok, %d failed, %d skipped\n",
			p.current+1, act.Name, act.Type, act.State, act.Success, act.Failure, act.Skipped)
	}
}

// measure is how far an activity got: its running stage's objects when it
// records stages (a reconciliation's totals are its stages'), else its
// own. total is -1 when unknown, and when done has passed an estimate:
// then the estimate was wrong and no total is better than one that is
// exceeded.
type measure struct {
	stage       string
	done, total int64
}

func measureOf(act state.ActivityResult) measure {
	m := measure{done: act.Success + act.Failure + act.Skipped, total: act.Total}
	for _, st := range act.Stages {
		if st.State == state.RunRunning {
			m = measure{stage: st.Name, done: st.Success + st.Failure + st.Skipped, total: st.Total}
		}
	}
	if m.total < m.done || m.total <= 0 {
		m.total = -1
	}
	return m
}
