package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

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

// upSummary prints what the round changed: definitions, users, accounts,
// and each task's run.
func (a *app) upSummary(res *upResult) {
	w := a.stdout
	c := a.color(w)
	fmt.Fprintf(w, "\n%s\n", c.Paint("Summary", views.Bold))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	s := res.plan
	defs := "no changes"
	if s.Add+s.Change+s.Remove+s.Move > 0 {
		defs = fmt.Sprintf("%d added, %d changed, %d removed", s.Add, s.Change, s.Remove)
		if s.Move > 0 {
			defs += fmt.Sprintf(", %d moved", s.Move)
		}
	}
	fmt.Fprintf(tw, "  definitions:\t%s (state serial %d)\n", defs, res.serial)
	made := map[string]int64{}
	for _, r := range res.runs {
		if r.run != nil && r.run.Mode == "full" {
			addStatistics(made, r.run)
		}
	}
	fmt.Fprintf(tw, "  users:\t%s\n", orNoChanges(changeWords(made, "users.", userVerbs)))
	fmt.Fprintf(tw, "  accounts:\t%s\n", orNoChanges(changeWords(made, "accounts.", accountVerbs)))
	if n := made["operations.pending"]; n > 0 {
		fmt.Fprintf(tw, "  pending:\t%d operations could not reach their resource; a reconciliation retries them\n", n)
	}
	tw.Flush()
	if len(res.runs) == 0 {
		return
	}
	fmt.Fprintln(w, "  runs:")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range res.runs {
		fmt.Fprintf(tw, "    %s\n", strings.Join(runColumns(c, r), "\t"))
	}
	tw.Flush()
	if id := res.runToShow(); id != 0 {
		fmt.Fprintf(w, "What a run did: %s %d\n", res.commandIn("runs show"), id)
	}
}

// runToShow is the run up suggests reading: the first that changed or
// would change something, else the first.
func (res *upResult) runToShow() int64 {
	var first int64
	for _, r := range res.runs {
		if r.run == nil {
			continue
		}
		if first == 0 {
			first = r.run.ID
		}
		stats := map[string]int64{}
		addStatistics(stats, r.run)
		if changeWords(stats, "users.", userVerbs)+changeWords(stats, "accounts.", accountVerbs) != "" {
			return r.run.ID
		}
	}
	return first
}

// commandIn is the syncline command line that runs sub in up's directory.
func (res *upResult) commandIn(sub string) string {
	if res.dir == "." || res.dir == "" {
		return "syncline " + sub
	}
	return "syncline -chdir=" + shellWord(res.dir) + " " + sub
}

// runColumns are a task's line in up's summary.
func runColumns(c views.Color, r *upRun) []string {
	name := "task." + r.task
	switch {
	case r.err != nil:
		return []string{"-", name, r.mode, c.Paint("not started", views.Red), r.err.Error()}
	case r.run == nil:
		return []string{"-", name, r.mode, "skipped", r.skipped}
	}
	run := r.run
	word := string(run.State)
	switch run.State {
	case state.RunSucceeded:
		word = c.Paint(word, views.Green)
	case state.RunPartial:
		word = c.Paint(word, views.Yellow)
	default:
		word = c.Paint(word, views.Red)
	}
	detail := views.ItemCounts(run.Activities)
	if what := changesMade(run); what != "" {
		detail += " — " + strings.TrimSuffix(strings.ToLower(what[:1])+what[1:], ".")
	}
	if run.Error != "" {
		detail += " — " + run.Error
	}
	return []string{fmt.Sprintf("run %d", run.ID), name, run.Mode, word, views.RunDuration(*run), detail}
}

// changesMade says what a synchronization run changed in users and
// accounts — "Changed users 1 disabled; accounts 1 deleted.", "Would
// change nothing." in preview — and is "" for other runs.
func changesMade(run *state.Run) string {
	if !synchronizes(run) || run.Mode == "dry_run" {
		return ""
	}
	stats := map[string]int64{}
	addStatistics(stats, run)
	what := joinNonEmpty("; ",
		prefixed("users ", changeWords(stats, "users.", userVerbs)),
		prefixed("accounts ", changeWords(stats, "accounts.", accountVerbs)))
	if what == "" {
		what = "nothing"
	}
	if run.Mode == "preview" {
		return "Would change " + what + "."
	}
	return "Changed " + what + "."
}

// synchronizes reports whether a run has a synchronization activity,
// whose statistics count user and account changes.
func synchronizes(r *state.Run) bool {
	for _, act := range r.Activities {
		switch act.Type {
		case "import", "reconciliation", "propagation", "recompute":
			return true
		}
	}
	return false
}

// addStatistics adds a run's activity statistics into into.
func addStatistics(into map[string]int64, r *state.Run) {
	for _, act := range r.Activities {
		for k, v := range act.Statistics {
			into[k] += v
		}
	}
}

// The statistics up reports, in the order it reports them, with the word
// for each.
var (
	userVerbs = [][2]string{{"add", "added"}, {"modify", "modified"}, {"enable", "enabled"},
		{"disable", "disabled"}, {"delete", "deleted"}, {"link", "linked"}, {"unlink", "unlinked"}}
	accountVerbs = [][2]string{{"create", "created"}, {"modify", "modified"}, {"disable", "disabled"},
		{"delete", "deleted"}, {"link", "linked"}}
)

// changeWords is "32 added, 1 disabled" for the statistics under prefix.
func changeWords(stats map[string]int64, prefix string, verbs [][2]string) string {
	var parts []string
	for _, v := range verbs {
		if n := stats[prefix+v[0]]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v[1]))
		}
	}
	return strings.Join(parts, ", ")
}

func orNoChanges(s string) string {
	if s == "" {
		return "no changes"
	}
	return s
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
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
