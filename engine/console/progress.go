package console

import (
	"fmt"
	"math"
	"time"

	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
)

// Progress is how far a running run got, as the worker last saved it
// (about once a second): its running activity (or that activity's
// running stage), the objects done so far, the rate since it started and,
// when the total is known, the share done and the time left. The total is
// the connector's estimate before its search ends (see
// connector.Estimator), an exact count after; with no estimate it is
// unknown, and so is the time left.
type Progress struct {
	Activity string `json:"activity"`
	Type     string `json:"type"`
	Stage    string `json:"stage,omitempty"`
	// Index is the activity's position in the run, from 1, of Activities.
	Index      int `json:"index"`
	Activities int `json:"activities"`
	// Done counts the objects processed: succeeded, failed and skipped.
	Done int64 `json:"done"`
	// Total is -1 when unknown, or once Done has passed an estimate.
	Total   int64   `json:"total"`
	Percent float64 `json:"percent,omitempty"`
	// RatePerSecond is Done over the time since the activity (or stage)
	// started; 0 in its first second.
	RatePerSecond float64 `json:"rate_per_second"`
	// ETASeconds is the time left at that rate; absent when the total or
	// the rate is unknown.
	ETASeconds *float64 `json:"eta_seconds,omitempty"`
	// Elapsed is how long the activity (or stage) has been going.
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	// Text is the same in words: "520 of 2000 objects (26%), 52/s,
	// about 28s left".
	Text string `json:"text"`
}

// progressOf is the progress of run at now; nil unless it is running an
// activity.
func progressOf(run *state.Run, now time.Time) *Progress {
	if run.State != state.RunRunning {
		return nil
	}
	for i, act := range run.Activities {
		if act.State != state.RunRunning {
			continue
		}
		p := &Progress{Activity: act.Name, Type: act.Type, Index: i + 1, Activities: len(run.Activities),
			Done: act.Success + act.Failure + act.Skipped, Total: act.Total}
		started := act.StartedAt
		for _, st := range act.Stages {
			if st.State == state.RunRunning {
				p.Stage, p.Done, p.Total = st.Name, st.Success+st.Failure+st.Skipped, st.Total
				if !st.StartedAt.IsZero() {
					started = st.StartedAt
				}
			}
		}
		if p.Total <= 0 || p.Total < p.Done {
			p.Total = -1
		}
		elapsed := time.Duration(0)
		if !started.IsZero() && now.After(started) {
			elapsed = now.Sub(started)
		}
		p.ElapsedSeconds = math.Round(elapsed.Seconds()*10) / 10
		if p.Total > 0 {
			p.Percent = math.Floor(float64(p.Done)*1000/float64(p.Total)) / 10
		}
		if elapsed >= time.Second && p.Done > 0 {
			p.RatePerSecond = math.Round(float64(p.Done)/elapsed.Seconds()*10) / 10
			if p.Total > 0 {
				left := math.Round(float64(p.Total-p.Done) / (float64(p.Done) / elapsed.Seconds()))
				p.ETASeconds = &left
			}
		}
		p.Text = p.words()
		return p
	}
	return nil
}

// words says p as the CLI's progress lines do.
func (p *Progress) words() string {
	s := fmt.Sprintf("%d %s so far", p.Done, views.Plural("object", int(p.Done)))
	if p.Total > 0 {
		s = fmt.Sprintf("%d of %d %s (%.0f%%)", p.Done, p.Total, views.Plural("object", int(p.Total)), math.Floor(p.Percent))
	}
	if p.RatePerSecond > 0 {
		s += ", " + views.FormatRate(p.RatePerSecond)
	}
	if p.ETASeconds != nil {
		s += ", about " + views.FormatLeft(time.Duration(*p.ETASeconds)*time.Second) + " left"
	}
	return s
}
