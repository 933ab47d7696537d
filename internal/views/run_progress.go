package views

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/syncline/syncline/state"
)

// progressView shows a running run: on a terminal, a progress bar for the
// current activity (items done of total when known, rate, ETA); elsewhere,
// one plain line when an activity starts and when it ends.
type progressView struct {
	w        io.Writer
	terminal bool

	mu      sync.Mutex
	current int  // index of the activity shown, -1 before the first
	ended   bool // the shown activity's end has been reported
	bar     *progressbar.ProgressBar
}

func newProgressView(w io.Writer, terminal bool) *progressView {
	return &progressView{w: w, terminal: terminal, current: -1}
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
	if !p.terminal {
		fmt.Fprintf(p.w, "activity %d: %s (%s) started\n", i+1, act.Name, act.Type)
		return
	}
	total := act.Total
	if total <= 0 {
		total = -1 // a spinner with a count
	}
	p.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(fmt.Sprintf("%s (%s)", act.Name, act.Type)),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("items"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
	)
}

func (p *progressView) advance(act state.ActivityResult) {
	if p.bar != nil {
		if act.Total > 0 && p.bar.GetMax64() != act.Total {
			p.bar.ChangeMax64(act.Total)
		}
		_ = p.bar.Set64(act.Success + act.Failure + act.Skipped)
	}
	if act.State.Final() && !p.ended {
		p.end(act)
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
		_ = p.bar.Finish()
		p.bar = nil
	}
	if !p.terminal {
		fmt.Fprintf(p.w, "activity %d: %s (%s) %s: %d ok, %d failed, %d skipped\n",
			p.current+1, act.Name, act.Type, act.State, act.Success, act.Failure, act.Skipped)
	}
}
