package main

import (
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
)

// upSummary is the summary of a round for the up view.
func upSummary(res *ops.UpResult) views.UpSummary {
	runs := make([]views.UpRun, 0, len(res.Runs))
	for _, r := range res.Runs {
		runs = append(runs, *r)
	}
	return views.UpSummary{Plan: res.Plan, Serial: res.Serial, Runs: runs, RunsShow: commandIn(res.Dir, "runs show"), Interrupted: res.Interrupted}
}

// upView is the view of up's rounds, coloured on a terminal.
func (a *app) upView() views.Up {
	return views.NewUp(a.streams(), a.color(a.stdout))
}

// commandIn is the syncline command line that runs sub in dir.
func commandIn(dir, sub string) string {
	if dir == "." || dir == "" {
		return "syncline " + sub
	}
	return "syncline -chdir=" + views.ShellWord(dir) + " " + sub
}
