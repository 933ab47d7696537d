package views

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// Up is the view of a round of syncline up, around the plan lines
// (WritePlanLines) and the runs (Run): what is applied, the order tasks
// run in, tasks skipped or failed, and the summary of the round.
type Up interface {
	// Applying, NoTasks, Order, TaskStarting, Skipped and TaskFailed
	// report what ops.UpRound does.
	ops.UpProgress
	// Summary shows what the round changed and each task's run.
	Summary(s UpSummary)
	// Watching says up -watch now follows dir.
	Watching(dir string)
	// RoundStarts separates a round of up -watch from the previous, with
	// the time it starts.
	RoundStarts(t time.Time)
}

// UpSummary is what one round of syncline up did.
type UpSummary struct {
	// Plan counts the definitions the round's apply changed; Serial is the
	// state serial after it.
	Plan   planner.Summary
	Serial int64
	// Runs are the tasks' turns, in the order they ran.
	Runs []UpRun
	// RunsShow is the command line that shows a run, without its ID.
	RunsShow string
	// Interrupted says Ctrl-C stopped the round while its tasks ran.
	Interrupted bool
}

// UpRun is one task's turn in a round, as ops.UpRound reports it: its
// run, or why it had none.
type UpRun = ops.UpRun

var _ Up = (*UpHuman)(nil)

// NewUp returns the text view of up, painting with color.
func NewUp(s Streams, color Color) Up {
	return &UpHuman{streams: s, color: color}
}

// UpHuman is the text view of up.
type UpHuman struct {
	streams Streams
	color   Color
}

// Watching writes a blank line and what -watch does.
func (v *UpHuman) Watching(dir string) {
	fmt.Fprintf(v.streams.Stdout, "\nWatching %s; save a change to apply it and re-run what it concerns. Ctrl-C stops.\n", dir)
}

// RoundStarts writes the separator line with the time.
func (v *UpHuman) RoundStarts(t time.Time) { writeRoundSeparator(v.streams.Stdout, t) }

// Applying writes "Applying DIR to LOCATION".
func (v *UpHuman) Applying(dir, location string) {
	fmt.Fprintf(v.streams.Stdout, "Applying %s to %s\n", dir, location)
}

// NoTasks writes a blank line and why no task runs.
func (v *UpHuman) NoTasks(selected bool) {
	if selected {
		fmt.Fprintln(v.streams.Stdout, "\nNo task depends on what changed; none runs.")
	} else {
		fmt.Fprintln(v.streams.Stdout, "\nNo enabled task to run.")
	}
}

// Order writes a blank line and "Running N tasks in this order: …".
func (v *UpHuman) Order(tasks []string) {
	fmt.Fprintf(v.streams.Stdout, "\nRunning %d %s in this order: %s\n", len(tasks), plural(len(tasks), "task"), strings.Join(tasks, ", "))
}

// TaskStarting writes a blank line.
func (v *UpHuman) TaskStarting() {
	fmt.Fprintln(v.streams.Stdout)
}

// Skipped writes "task.X skipped: REASON"; reason carries its own
// punctuation.
func (v *UpHuman) Skipped(task, reason string) {
	fmt.Fprintf(v.streams.Stdout, "task.%s skipped: %s\n", task, reason)
}

// TaskFailed writes "Error: task.X: ERR" to standard error.
func (v *UpHuman) TaskFailed(task string, err error) {
	fmt.Fprintf(v.streams.Stderr, "Error: task.%s: %s\n", task, err)
}

// Summary writes what the round changed: definitions, users, accounts,
// and each task's run, then which run to read.
func (v *UpHuman) Summary(res UpSummary) {
	w, c := v.streams.Stdout, v.color
	title := "Summary"
	if res.Interrupted {
		title = "Summary (interrupted)"
	}
	fmt.Fprintf(w, "\n%s\n", c.Paint(title, Bold))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	s := res.Plan
	defs := "no changes"
	if s.Add+s.Change+s.Remove+s.Move > 0 {
		defs = fmt.Sprintf("%d added, %d changed, %d removed", s.Add, s.Change, s.Remove)
		if s.Move > 0 {
			defs += fmt.Sprintf(", %d moved", s.Move)
		}
	}
	fmt.Fprintf(tw, "  definitions:\t%s (state serial %d)\n", defs, res.Serial)
	made := map[string]int64{}
	for _, r := range res.Runs {
		if r.Run != nil && config.Mode(r.Run.Mode) == config.ModeFull {
			addStatistics(made, r.Run)
		}
	}
	fmt.Fprintf(tw, "  users:\t%s\n", orNoChanges(changeWords(made, "users.", userVerbs)))
	fmt.Fprintf(tw, "  accounts:\t%s\n", orNoChanges(changeWords(made, "accounts.", accountVerbs)))
	if m := membershipWords(made); m != "" {
		fmt.Fprintf(tw, "  memberships:\t%s\n", m)
	}
	if n := made["accounts.failed"]; n > 0 {
		fmt.Fprintf(tw, "  failed:\t%d %s on resources, nothing written; first: %s\n", n, plural(int(n), "operation"), firstResourceError(res.Runs))
	}
	if n := made["operations.queued"]; n > 0 {
		fmt.Fprintf(tw, "  queued:\t%d %s wait for their resource's grouping_interval; a propagation task carries them out\n", n, plural(int(n), "operation"))
	}
	if n := made["operations.pending"]; n > 0 {
		fmt.Fprintf(tw, "  pending:\t%d failed %s stay queued; the next reconciliation or propagation retries them\n", n, plural(int(n), "operation"))
	}
	tw.Flush()
	if len(res.Runs) == 0 {
		return
	}
	fmt.Fprintln(w, "  runs:")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range res.Runs {
		fmt.Fprintf(tw, "    %s\n", strings.Join(runColumns(c, &r), "\t"))
	}
	tw.Flush()
	if id := res.runToShow(); id != 0 {
		fmt.Fprintf(w, "What a run did: %s %d\n", res.RunsShow, id)
	}
	if res.Interrupted {
		fmt.Fprintln(w, "Interrupted: what the runs did before they stopped is kept; syncline up runs the tasks again.")
	}
}

// firstResourceError is the first line of the first error of category
// resource among the full runs' activities.
func firstResourceError(runs []UpRun) string {
	for _, r := range runs {
		if r.Run == nil || config.Mode(r.Run.Mode) != config.ModeFull {
			continue
		}
		for _, act := range r.Run.Activities {
			for _, e := range act.Errors {
				if e.Category == "resource" {
					first, _, _ := strings.Cut(e.Message, "\n")
					return printable(e.Item, nameLimit) + ": " + printable(first, messageLimit)
				}
			}
		}
	}
	return "see the run"
}

// runToShow is the run up suggests reading: the first that changed or
// would change something, else the first.
func (res UpSummary) runToShow() int64 {
	var first int64
	for _, r := range res.Runs {
		if r.Run == nil {
			continue
		}
		if first == 0 {
			first = r.Run.ID
		}
		stats := map[string]int64{}
		addStatistics(stats, r.Run)
		if changeWords(stats, "users.", userVerbs)+changeWords(stats, "accounts.", accountVerbs)+membershipWords(stats) != "" {
			return r.Run.ID
		}
	}
	return first
}

// runColumns are a task's line in up's summary.
func runColumns(c Color, r *UpRun) []string {
	name := "task." + r.Task
	switch {
	case r.Err != nil:
		return []string{"-", name, string(r.Mode), c.Paint("not started", Red), r.Err.Error()}
	case r.Run == nil:
		return []string{"-", name, string(r.Mode), "skipped", r.Skipped}
	}
	run := r.Run
	word := string(run.State)
	switch run.State {
	case state.RunSucceeded:
		word = c.Paint(word, Green)
	case state.RunPartial, state.RunCancelled, state.RunInterrupted:
		word = c.Paint(word, Yellow)
	default:
		word = c.Paint(word, Red)
	}
	detail := ItemCounts(run.Activities)
	if what := changesMade(run); what != "" {
		detail += " — " + strings.TrimSuffix(strings.ToLower(what[:1])+what[1:], ".")
	}
	if run.Error != "" {
		detail += " — " + run.Error
	}
	return []string{fmt.Sprintf("run %d", run.ID), name, run.Mode, word, RunDuration(*run), detail}
}

// changesMade says what a synchronization run changed in users and
// accounts — "Changed users 1 disabled; accounts 1 deleted.", "Carried
// out 2 queued creates." (see fullOutcome), "Would change nothing." in
// preview — and is "" for other runs.
func changesMade(run *state.Run) string {
	if !synchronizes(run) || config.Mode(run.Mode) == config.ModeDryRun {
		return ""
	}
	stats := map[string]int64{}
	addStatistics(stats, run)
	what := joinNonEmpty("; ",
		prefixed("users ", changeWords(stats, "users.", userVerbs)),
		prefixed("accounts ", changeWords(stats, "accounts.", accountVerbs)),
		prefixed("memberships ", membershipWords(stats)))
	if config.Mode(run.Mode) == config.ModePreview {
		return "Would change " + orNothing(what) + "."
	}
	if what = fullOutcome(run); what == "" {
		return "Changed nothing."
	}
	return strings.ToUpper(what[:1]) + what[1:] + "."
}

func orNothing(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

// synchronizes reports whether a run has a synchronization activity,
// whose statistics count user and account changes.
func synchronizes(r *state.Run) bool {
	for _, act := range r.Activities {
		switch act.Type {
		case "import", "reconciliation", "live_sync", "propagation", "recompute":
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
	accountVerbs = [][2]string{{"create", "created"}, {"modify", "modified"}, {"rename", "renamed"}, {"disable", "disabled"},
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
