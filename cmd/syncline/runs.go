package main

import (
	"context"
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
	"github.com/urfave/cli/v3"
)

func (a *app) runsCommand() *cli.Command {
	return &cli.Command{
		Name:      "runs",
		Usage:     "list runs, show one, or cancel one",
		UsageText: "syncline runs [-state PATH] [-limit N] [-json] [TASK]\nsyncline runs show|cancel ID",
		Description: `Lists runs, newest first: every run of every task, or of TASK. Runs are
kept after their task is removed from the configuration.`,
		Flags: []cli.Flag{
			stateFlag(),
			&cli.IntFlag{Name: "limit", Value: 20, Usage: "show at most `N` runs (0: all)"},
			&cli.BoolFlag{Name: "json", Usage: "print the runs as JSON"},
		},
		Action: a.runsList,
		Commands: []*cli.Command{
			{
				Name: "show", Usage: "show a run: trigger, mode, activities, statistics, errors, output and changes",
				UsageText: "syncline runs show [-state PATH] [-json] [-changes N] ID",
				Description: `Changes lists what the run changed in users and resource objects (in
preview: what it would change), after a summary that counts them all:
+ add or create, ~ modify, enable, link or unlink, ! disable, - delete.`,
				Flags: []cli.Flag{
					stateFlag(),
					&cli.BoolFlag{Name: "json", Usage: "print the run as JSON"},
					&cli.IntFlag{Name: "changes", Value: defaultChangesListed,
						Usage: "list at most `N` changes (0: only the summary, -1: all)"},
				},
				Action: a.runsShow,
			},
			{
				Name: "cancel", Usage: "cancel a queued or running run",
				UsageText: "syncline runs cancel [-state PATH] ID",
				Description: `A queued run is cancelled at once. A running run is asked to stop: its
worker sees the request at its next heartbeat, stops the activity and
records the run as cancelled.`,
				Flags: []cli.Flag{stateFlag()}, Action: a.runsCancel,
			},
		},
	}
}

func (a *app) runsList(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() > 1 {
		return newUsageError(cmd, "expected at most one TASK")
	}
	st, err := a.openExistingStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.RunList(ctx, state.RunFilter{Task: cmd.Args().First(), Limit: int(cmd.Int("limit"))})
	if err != nil {
		return err
	}
	if cmd.Bool("json") {
		return writeJSON(a.stdout, runsJSON(runs))
	}
	if len(runs) == 0 {
		fmt.Fprintln(a.stdout, "No runs yet. Start one with: syncline run TASK")
		return nil
	}
	writeRunsTable(a.stdout, runs)
	return nil
}

func writeRunsTable(w io.Writer, runs []state.Run) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTASK\tTRIGGER\tMODE\tSTATE\tSTARTED\tDURATION\tITEMS")
	for _, r := range runs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Task, r.Trigger, r.Mode, r.State,
			formatTime(r.StartedAt), runDuration(r), itemCounts(r.Activities))
	}
	tw.Flush()
}

func runDuration(r state.Run) string {
	if r.StartedAt.IsZero() {
		return "-"
	}
	end := r.FinishedAt
	if end.IsZero() {
		return "running"
	}
	return end.Sub(r.StartedAt).Round(time.Millisecond).String()
}

// itemCounts sums the activities' counters: "12 ok, 1 failed, 3 skipped".
func itemCounts(acts []state.ActivityResult) string {
	var ok, failed, skipped int64
	for _, a := range acts {
		ok, failed, skipped = ok+a.Success, failed+a.Failure, skipped+a.Skipped
	}
	if ok+failed+skipped == 0 {
		return "no items"
	}
	return fmt.Sprintf("%d ok, %d failed, %d skipped", ok, failed, skipped)
}

func (a *app) runsShow(ctx context.Context, cmd *cli.Command) error {
	id, err := runIDArg(cmd)
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.RunGet(ctx, id)
	if err != nil {
		return err
	}
	rc, err := loadRunChanges(ctx, st, id, int(cmd.Int("changes")))
	if err != nil {
		return err
	}
	if cmd.Bool("json") {
		return writeJSON(a.stdout, runShowJSON(*r, rc))
	}
	writeRunDetails(a.stdout, r, stateRevisionLabels(st))
	writeChanges(a.stdout, r, rc, allChangesCommand(cmd, id))
	return nil
}

// defaultChangesListed is how many changes runs show lists unless told.
const defaultChangesListed = 100

// allChangesCommand is the runs show command line that lists every
// change of run id.
func allChangesCommand(cmd *cli.Command, id int64) string {
	line := "syncline runs show -changes -1"
	if loc := cmd.String("state"); loc != "" {
		line += " -state " + strconv.Quote(loc)
	}
	return fmt.Sprintf("%s %d", line, id)
}

func writeRunDetails(w io.Writer, r *state.Run, labels *revisionLabels) {
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
		rev = labels.label(r.Revision)
	}
	fmt.Fprintf(w, "  revision:  %s (state serial %d)\n", rev, r.Serial)
	fmt.Fprintf(w, "  created:   %s\n  started:   %s\n  finished:  %s\n  duration:  %s\n",
		formatTime(r.CreatedAt), formatTime(r.StartedAt), formatTime(r.FinishedAt), runDuration(*r))
	if r.Error != "" {
		fmt.Fprintf(w, "  error:     %s\n", r.Error)
	}
	if r.Note != "" {
		fmt.Fprintf(w, "  note:      %s\n", r.Note)
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
		fmt.Fprintf(w, "    error:     %s\n", printable(st.Error, messageLimit))
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
		fmt.Fprintf(w, "%s  %s%s: %s\n", indent, category, printable(e.Item, nameLimit), printable(e.Message, messageLimit))
	}
}

func (a *app) runsCancel(ctx context.Context, cmd *cli.Command) error {
	id, err := runIDArg(cmd)
	if err != nil {
		return err
	}
	st, err := a.openExistingStoreWritable(ctx, cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.RunCancel(ctx, id, state.OSUser(), time.Now())
	if err != nil {
		return err
	}
	if r.State == state.RunCancelled {
		fmt.Fprintf(a.stdout, "Cancelled run %d of task.%s.\n", r.ID, r.Task)
	} else {
		fmt.Fprintf(a.stdout, "Asked run %d of task.%s to stop; its worker cancels it at the next heartbeat.\n", r.ID, r.Task)
	}
	return nil
}

func runIDArg(cmd *cli.Command) (int64, error) {
	if cmd.NArg() != 1 {
		return 0, newUsageError(cmd, "expected one run ID")
	}
	id, err := strconv.ParseInt(cmd.Args().First(), 10, 64)
	if err != nil || id <= 0 {
		return 0, newUsageError(cmd, "%q is not a run ID; run IDs are positive numbers, as listed by syncline runs", cmd.Args().First())
	}
	return id, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
