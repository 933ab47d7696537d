package views

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// Runs is the view of syncline runs: a list of runs and one run in
// detail, with its changes.
type Runs interface {
	// List shows runs, newest first as given.
	List(runs []state.Run, task string) error
	// Show shows one run and the changes it recorded.
	Show(r state.Run, changes RunChanges, notes []state.Notification) error
}

// RevisionLabels describe the revisions a state records for people: the
// short commit and, when it is known, the first line of its message; "-"
// for no revision.
type RevisionLabels interface {
	Label(rev string) string
}

var (
	_ Runs = (*RunsHuman)(nil)
	_ Runs = (*RunsJSON)(nil)
)

// NewRuns returns the view of runs for t: RunsJSON for JSON, RunsHuman
// otherwise, which names revisions with labels.
func NewRuns(t ViewType, s Streams, labels RevisionLabels) Runs {
	if t == JSON {
		return &RunsJSON{streams: s}
	}
	return NewRunsHuman(s, labels)
}

// NewRunsHuman returns the text view of runs, which also tells of a
// cancelled run.
func NewRunsHuman(s Streams, labels RevisionLabels) *RunsHuman {
	return &RunsHuman{streams: s, labels: labels}
}

// RunsHuman is the text view of runs: a table, and a run's details.
type RunsHuman struct {
	streams Streams
	labels  RevisionLabels
}

// List writes the table of runs, or how to start one when there are none.
func (v *RunsHuman) List(runs []state.Run, task string) error {
	switch {
	case len(runs) == 0 && task != "":
		fmt.Fprintf(v.streams.Stdout, "No runs of task.%s yet. Start one with: syncline run %s\n", printable(task, nameLimit), printable(task, nameLimit))
		return nil
	case len(runs) == 0:
		fmt.Fprintln(v.streams.Stdout, "No runs yet. Start one with: syncline run TASK")
		return nil
	}
	WriteRunsTable(v.streams.Stdout, runs)
	return nil
}

// Show writes the run's details, its activities, its Changes section and
// its Notifications.
func (v *RunsHuman) Show(r state.Run, changes RunChanges, notes []state.Notification) error {
	writeRunDetails(v.streams.Stdout, &r, v.labels)
	writeChanges(v.streams.Stdout, &r, changes)
	writeNotifications(v.streams.Stdout, notes)
	return nil
}

// Cancelled says that run r was cancelled, or asked to stop when it was
// running.
func (v *RunsHuman) Cancelled(r state.Run) {
	if r.State == state.RunCancelled {
		fmt.Fprintf(v.streams.Stdout, "Cancelled run %d of task.%s.\n", r.ID, r.Task)
	} else {
		fmt.Fprintf(v.streams.Stdout, "Asked run %d of task.%s to stop; its worker cancels it at the next heartbeat.\n", r.ID, r.Task)
	}
}

// RunsJSON is the JSON view of runs (snake_case fields, times in RFC 3339).
type RunsJSON struct {
	streams Streams
}

// List writes the runs as a JSON array.
func (v *RunsJSON) List(runs []state.Run, _ string) error {
	return writeJSON(v.streams.Stdout, runsJSON(runs))
}

// Show writes the run with the changes listed and their total.
func (v *RunsJSON) Show(r state.Run, changes RunChanges, notes []state.Notification) error {
	return writeJSON(v.streams.Stdout, runShowJSON(r, changes, notes))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteRunsTable writes a table of runs: ID, task, trigger, mode, state,
// start, duration and items.
func WriteRunsTable(w io.Writer, runs []state.Run) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTASK\tTRIGGER\tMODE\tSTATE\tSTARTED\tDURATION\tITEMS")
	for _, r := range runs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Task, r.Trigger, r.Mode, r.State,
			FormatTime(r.StartedAt), RunDuration(r), ItemCounts(r.Activities))
	}
	tw.Flush()
}

// RunDuration is how long r took: "-" before it started, "running" until
// it finishes.
func RunDuration(r state.Run) string {
	if r.StartedAt.IsZero() {
		return "-"
	}
	end := r.FinishedAt
	if end.IsZero() {
		return "running"
	}
	return end.Sub(r.StartedAt).Round(time.Millisecond).String()
}

// ItemCounts sums the activities' counters: "12 ok, 1 failed, 3 skipped".
func ItemCounts(acts []state.ActivityResult) string {
	var ok, failed, skipped int64
	for _, a := range acts {
		ok, failed, skipped = ok+a.Success, failed+a.Failure, skipped+a.Skipped
	}
	if ok+failed+skipped == 0 {
		return "no items"
	}
	return fmt.Sprintf("%d ok, %d failed, %d skipped", ok, failed, skipped)
}

// FormatTime is a time as the tables show it, in UTC to the minute; "-"
// for none.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// FormatTimeIn is t as FormatTime shows it, but in loc (a schedule's time
// zone) when loc is not UTC: "2026-12-05 02:00 CET".
func FormatTimeIn(t time.Time, loc *time.Location) string {
	if t.IsZero() || loc == nil || loc == time.UTC {
		return FormatTime(t)
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// Plural is word, with an s unless n is 1.
func Plural(word string, n int) string {
	return plural(n, word)
}

func writeRunDetails(w io.Writer, r *state.Run, labels RevisionLabels) {
	fmt.Fprintf(w, "Run %d of task.%s: %s\n", r.ID, r.Task, r.State)
	fmt.Fprintf(w, "  trigger:   %s", r.Trigger)
	if r.TriggeredBy != "" {
		fmt.Fprintf(w, " (%s)", r.TriggeredBy)
	}
	fmt.Fprintf(w, "\n  mode:      %s\n  attempt:   %d\n", r.Mode, r.Attempt)
	if r.RetryOf != 0 {
		fmt.Fprintf(w, "  follows:   run %d\n", r.RetryOf)
	}
	rev := "working directory"
	if r.Revision != "" {
		rev = labels.Label(r.Revision)
	}
	fmt.Fprintf(w, "  revision:  %s (state serial %d)\n", rev, r.Serial)
	fmt.Fprintf(w, "  created:   %s\n  started:   %s\n  finished:  %s\n  duration:  %s\n",
		FormatTime(r.CreatedAt), FormatTime(r.StartedAt), FormatTime(r.FinishedAt), RunDuration(*r))
	if r.Error != "" {
		fmt.Fprintf(w, "  error:     %s\n", r.Error)
	}
	if r.Note != "" {
		fmt.Fprintf(w, "  note:      %s\n", r.Note)
	}
	if what := changesMade(r); what != "" {
		fmt.Fprintf(w, "  outcome:   %s\n", what)
	}
	for i, act := range r.Activities {
		writeActivity(w, i, act)
	}
}

func writeActivity(w io.Writer, i int, act state.ActivityResult) {
	fmt.Fprintf(w, "\nActivity %d: %s (%s): %s\n", i+1, act.Name, act.Type, act.State)
	writeItemCounts(w, "  ", act.Total, act.Success, act.Failure, act.Skipped)
	writeStatistics(w, "  ", act.Statistics)
	for _, k := range config.SortedNames(act.Output) {
		v := strings.TrimRight(act.Output[k], "\n")
		if v == "" {
			continue
		}
		if strings.Contains(v, "\n") {
			fmt.Fprintf(w, "  %s:\n    %s\n", k, strings.ReplaceAll(v, "\n", "\n    "))
		} else {
			fmt.Fprintf(w, "  %s: %s\n", k, v)
		}
	}
	for _, st := range act.Stages {
		writeStage(w, st, stageErrors(act, st.Name))
	}
	writeItemErrors(w, "  ", stageErrors(act, ""))
}

// writeStage writes a stage of an activity, indented under it, with the
// item errors that happened in it.
func writeStage(w io.Writer, st state.StageResult, errs []state.ItemError) {
	fmt.Fprintf(w, "  stage %s: %s\n", st.Name, st.State)
	writeItemCounts(w, "    ", st.Total, st.Success, st.Failure, st.Skipped)
	writeStatistics(w, "    ", st.Statistics)
	if st.Error != "" {
		fmt.Fprintf(w, "    error:     %s\n", message(st.Error, "               "))
	}
	writeItemErrors(w, "    ", errs)
}

func writeItemCounts(w io.Writer, indent string, total, ok, failed, skipped int64) {
	t := "unknown"
	if total >= 0 {
		t = strconv.FormatInt(total, 10)
	}
	fmt.Fprintf(w, "%sitems:     %d ok, %d failed, %d skipped (total %s)\n", indent, ok, failed, skipped, t)
}

func writeStatistics(w io.Writer, indent string, stats map[string]int64) {
	for _, k := range config.SortedNames(stats) {
		fmt.Fprintf(w, "%s%s: %d\n", indent, k, stats[k])
	}
}

// stageErrors are the item errors of act that happened in stage; for ""
// those that happened in no stage of act.
func stageErrors(act state.ActivityResult, stage string) []state.ItemError {
	var out []state.ItemError
	for _, e := range act.Errors {
		in := e.Stage
		if !slices.ContainsFunc(act.Stages, func(s state.StageResult) bool { return s.Name == e.Stage }) {
			in = ""
		}
		if in == stage {
			out = append(out, e)
		}
	}
	return out
}

// writeItemErrors lists item errors: "[mapping] e1007: inbound mapping
// email: …", the category in brackets when there is one.
func writeItemErrors(w io.Writer, indent string, errs []state.ItemError) {
	if len(errs) == 0 {
		return
	}
	fmt.Fprintf(w, "%serrors (%d shown):\n", indent, len(errs))
	for _, e := range errs {
		category := ""
		if e.Category != "" {
			category = "[" + printable(e.Category, nameLimit) + "] "
		}
		fmt.Fprintf(w, "%s  %s%s: %s\n", indent, category, printable(e.Item, nameLimit), message(e.Message, indent+"    "))
	}
}
