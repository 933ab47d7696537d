package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const showDescription = `With PLANFILE, renders a saved plan (-format text, json or markdown). The
file is first authenticated against the state it names (or -state): a file
that was edited or made for another state is refused. When that state
cannot be read, the plan is shown with a warning that it is not
authenticated.

Without it, summarizes the state store of the configuration in the current
directory (or -state): lineage, serial, the stored definitions with their
source, and the latest applies. Definitions and applies made from git show
their revision: the short commit and, when the commit is in the repository
holding the state or the current directory, the first line of its message.`

func (a *app) showCommand() *cli.Command {
	return &cli.Command{
		Name:        "show",
		Usage:       "show a saved plan, or a summary of the state",
		UsageText:   "syncline show [options] [PLANFILE]",
		Description: showDescription,
		Flags: []cli.Flag{
			stateFlag(),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "plan output `FORMAT`: text, json or markdown"},
		},
		Action: a.showAction,
	}
}

func (a *app) showAction(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() > 1 {
		return newUsageError(cmd, "too many arguments; expected at most one plan file")
	}
	if path := cmd.Args().First(); path != "" {
		view, err := a.planView(cmd)
		if err != nil {
			return err
		}
		shown, err := ops.ShowPlanFile(ctx, path, cmd.String("state"))
		if err != nil {
			return err
		}
		if shown.Unauthenticated != nil {
			fmt.Fprintf(a.stderr, "Warning: the plan file is not authenticated: its state %s cannot be read (%v).\n\n", shown.Location, shown.Unauthenticated)
		}
		if rev := shown.File.Revision(); rev != nil {
			view.Revision(rev)
		}
		return view.Plan(shown.Plan)
	}
	st, err := a.openExistingStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	return a.showState(ctx, st)
}

// openExistingStore opens the store named by -state or the configuration
// in the current directory, read-only; a missing store is an error.
func (a *app) openExistingStore(ctx context.Context, cmd *cli.Command) (*state.Store, error) {
	return a.openExisting(ctx, cmd, true)
}

// openExistingStoreWritable is openExistingStore for commands that write.
func (a *app) openExistingStoreWritable(ctx context.Context, cmd *cli.Command) (*state.Store, error) {
	return a.openExisting(ctx, cmd, false)
}

func (a *app) openExisting(ctx context.Context, cmd *cli.Command, readOnly bool) (*state.Store, error) {
	location := cmd.String("state")
	if location == "" {
		location = a.defaultStateLocation()
	}
	if _, err := os.Stat(location); err != nil {
		return nil, fmt.Errorf("no state store at %s\nRun syncline init or syncline apply to create the state, or name it with -state", location)
	}
	st, err := state.Open(ctx, location, state.Options{ReadOnly: readOnly})
	if err != nil {
		return nil, fmt.Errorf("%w\nRun syncline init or syncline apply to create the state, or name it with -state", err)
	}
	return st, nil
}

// defaultStateLocation is the store of the configuration in the current
// directory.
func (a *app) defaultStateLocation() string {
	cfg, _ := a.loadDir(".", config.LoadOptions{Environ: a.environ, AllowUnsetVariables: true})
	return ops.StateLocation("", ".", cfg.Settings)
}

func (a *app) showState(ctx context.Context, st *state.Store) error {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	history, err := st.ApplyHistory(ctx, 5)
	if err != nil {
		return err
	}
	labels := stateRevisionLabels(st)
	fmt.Fprintf(a.stdout, "State:   %s\nLineage: %s\nSerial:  %d\n", st.Path(), orNone(snap.Lineage), snap.Serial)
	fmt.Fprintf(a.stdout, "\nDefinitions (%s):\n", countKinds(snap))
	if len(snap.Definitions) == 0 {
		fmt.Fprintln(a.stdout, "  none — run syncline apply to store the configuration")
	}
	writeDefinitionTable(a.stdout, snap, labels)
	fmt.Fprintln(a.stdout, "\nLatest applies:")
	if len(history) == 0 {
		fmt.Fprintln(a.stdout, "  none")
	}
	writeHistoryTable(a.stdout, history, labels)
	return nil
}

// stateRevisionLabels describes the revisions recorded in st, looking
// commits up in the repository holding the state and in the current one.
func stateRevisionLabels(st *state.Store) *revisionLabels {
	return newRevisionLabels(filepath.Dir(st.Path()), ".")
}

// writeDefinitionTable lists the stored definitions with their source and,
// for those applied from git, the revision that last changed them.
func writeDefinitionTable(w io.Writer, snap *state.Snapshot, labels *revisionLabels) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, addr := range config.SortedNames(snap.Definitions) {
		d := snap.Definitions[addr]
		fmt.Fprintf(tw, "  %s\t%s:%d\tupdated %s", addr, d.SourceFile, d.SourceLine, views.FormatTime(d.UpdatedAt))
		if d.Revision != "" {
			fmt.Fprintf(tw, "\trevision %s", labels.Label(d.Revision))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// writeHistoryTable lists applies: serial, time, who, revision ("-" when
// applied from a directory) and what changed.
func writeHistoryTable(w io.Writer, history []state.ApplyRecord, labels *revisionLabels) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, h := range history {
		fmt.Fprintf(tw, "  serial %d\t%s\t%s\t%s\t%s\n", h.Serial, views.FormatTime(h.At), h.Who, labels.Label(h.Revision), summarizeChanges(h.Changes)+forcedOverNote(h, labels))
	}
	tw.Flush()
}

// summarizeChanges turns a history entry's change list into one line.
func summarizeChanges(raw json.RawMessage) string {
	var changes []struct {
		Address string `json:"address"`
		Action  string `json:"action"`
	}
	if err := json.Unmarshal(raw, &changes); err != nil || len(changes) == 0 {
		return "no changes recorded"
	}
	var parts []string
	for _, c := range changes {
		parts = append(parts, c.Action+" "+c.Address)
	}
	if len(parts) > 4 {
		parts = append(parts[:4], fmt.Sprintf("and %d more", len(changes)-4))
	}
	return strings.Join(parts, ", ")
}

func countKinds(snap *state.Snapshot) string {
	counts := map[string]int{}
	for _, d := range snap.Definitions {
		counts[d.Kind]++
	}
	var parts []string
	for _, kind := range []string{config.KindResource, config.KindSchedule, config.KindTask} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[kind], views.Plural(kind, counts[kind])))
	}
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none yet)"
	}
	return s
}
