package main

import (
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// upResult is what one round of syncline up did.
type upResult struct {
	dir    string
	cfg    *config.Config // nil when the configuration did not load
	plan   planner.Summary
	serial int64
	runs   []*upRun
	// fingerprints identify, per task, what its runs depend on; -watch
	// re-runs the tasks whose fingerprint changed.
	fingerprints map[string]string
}

// upRun is one task's turn in a round: its run, or why it had none.
type upRun struct {
	task, mode string
	run        *state.Run
	skipped    string
	err        error
}

func (r *upRun) succeeded() bool { return r.run != nil && r.run.State == state.RunSucceeded }

// failed reports whether a task could not run or its run failed; skipped
// tasks are not failures of their own.
func (res *upResult) failed() bool {
	for _, r := range res.runs {
		if r.err != nil {
			return true
		}
		if r.run != nil && r.run.State != state.RunSucceeded && r.run.State != state.RunPartial {
			return true
		}
	}
	return false
}

// upSummary shows what the round changed: definitions, users, accounts,
// and each task's run.
func (a *app) upSummary(res *upResult) {
	runs := make([]views.UpRun, 0, len(res.runs))
	for _, r := range res.runs {
		runs = append(runs, views.UpRun{Task: r.task, Mode: r.mode, Run: r.run, Skipped: r.skipped, Err: r.err})
	}
	a.upView().Summary(views.UpSummary{
		Plan: res.plan, Serial: res.serial, Runs: runs, RunsShow: res.commandIn("runs show")})
}

// upView is the view of up's rounds, coloured on a terminal.
func (a *app) upView() views.Up {
	return views.NewUp(a.streams(), a.color(a.stdout))
}

// commandIn is the syncline command line that runs sub in up's directory.
func (res *upResult) commandIn(sub string) string {
	if res.dir == "." || res.dir == "" {
		return "syncline " + sub
	}
	return "syncline -chdir=" + shellWord(res.dir) + " " + sub
}

// shellWord quotes s for sh only when it needs quoting.
func shellWord(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./-+:@", r)) {
			return shellQuote(s)
		}
	}
	return s
}
