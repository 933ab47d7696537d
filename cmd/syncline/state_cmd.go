package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

func (a *app) stateCommand() *cli.Command {
	return &cli.Command{
		Name:      "state",
		Usage:     "inspect the state store and remove a stale lock",
		UsageText: "syncline state <list | show ADDRESS | history | unlock ID> [options]",
		Description: `Subcommands read the state store of the configuration in the current
directory, or the one named with -state. Only unlock writes.`,
		Commands: []*cli.Command{
			{
				Name: "list", Usage: "list the stored definitions", UsageText: "syncline state list [-state PATH]",
				Flags: []cli.Flag{stateFlag()}, Action: a.stateList,
			},
			{
				Name: "show", Usage: "show one stored definition's spec", UsageText: "syncline state show [-state PATH] ADDRESS",
				Flags: []cli.Flag{stateFlag()}, Action: a.stateShow,
			},
			{
				Name: "history", Usage: "list the applies and failed syncs, newest first", UsageText: "syncline state history [-state PATH] [-limit N]",
				Flags:  []cli.Flag{stateFlag(), &cli.IntFlag{Name: "limit", Value: 20, Usage: "show at most `N` applies (0: all)"}},
				Action: a.stateHistory,
			},
			{
				Name: "unlock", Usage: "remove a stale apply lock", UsageText: "syncline state unlock [-state PATH] LOCK_ID",
				Description: `Removes the apply lock with LOCK_ID, as printed by the apply that found it
held. Only do this when the holder is gone: an apply that is still running
would lose its protection.`,
				Flags: []cli.Flag{stateFlag()}, Action: a.stateUnlock,
			},
		},
	}
}

func (a *app) stateList(ctx context.Context, cmd *cli.Command) error {
	st, err := a.openExistingStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	writeDefinitionTable(a.stdout, snap, stateRevisionLabels(st))
	return nil
}

// readExistingSnapshot reads the snapshot of an existing store.
func (a *app) readExistingSnapshot(ctx context.Context, cmd *cli.Command) (*state.Snapshot, error) {
	st, err := a.openExistingStore(ctx, cmd)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Snapshot(ctx)
}

func (a *app) stateShow(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() != 1 {
		return newUsageError(cmd, "expected one ADDRESS, such as task.hr-import")
	}
	addr := cmd.Args().First()
	snap, err := a.readExistingSnapshot(ctx, cmd)
	if err != nil {
		return err
	}
	d, ok := snap.Definitions[addr]
	if !ok {
		return fmt.Errorf("no definition %s is stored; syncline state list shows what is", addr)
	}
	fmt.Fprintf(a.stdout, "# %s (%s:%d, hash %s)\n", addr, d.SourceFile, d.SourceLine, d.Hash)
	paths := make([]string, 0, len(d.Spec))
	width := 0
	for p := range d.Spec {
		paths = append(paths, p)
		width = max(width, len(p))
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(a.stdout, "%s%s = %s\n", p, strings.Repeat(" ", width-len(p)), d.Spec[p])
	}
	return nil
}

func (a *app) stateHistory(ctx context.Context, cmd *cli.Command) error {
	st, err := a.openExistingStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	history, err := st.ApplyHistory(ctx, int(cmd.Int("limit")))
	if err != nil {
		return err
	}
	if len(history) == 0 {
		fmt.Fprintln(a.stdout, "No applies yet.")
	}
	labels := stateRevisionLabels(st)
	writeHistoryTable(a.stdout, history, labels)
	failures, err := st.SyncFailures(ctx, int(cmd.Int("limit")))
	if err != nil {
		return err
	}
	writeSyncFailures(a.stdout, failures, labels)
	return nil
}

// writeSyncFailures lists the failed syncs of a followed branch, newest
// first, each with the first line of what went wrong; the whole text is
// in serve's log.
func writeSyncFailures(w io.Writer, failures []state.SyncFailure, labels *revisionLabels) {
	if len(failures) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFailed syncs (nothing was applied; serve kept running what was applied before):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range failures {
		when := views.FormatTime(f.LastAt)
		if f.Attempts > 1 {
			when += fmt.Sprintf(" (%d times since %s)", f.Attempts, views.FormatTime(f.FirstAt))
		}
		rev := "-"
		if f.Revision != "" {
			rev = labels.Label(f.Revision)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", when, f.Branch, rev, firstLine(f.Error))
	}
	tw.Flush()
}

// firstLine is the first non-empty line of s without an "Error: " prefix,
// cut to 160 characters.
func firstLine(s string) string {
	for line := range strings.Lines(s) {
		if line = strings.TrimPrefix(strings.TrimSpace(line), "Error: "); line != "" {
			if r := []rune(line); len(r) > 160 {
				line = string(r[:159]) + "…"
			}
			return line
		}
	}
	return ""
}

func (a *app) stateUnlock(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() != 1 {
		return newUsageError(cmd, "expected one LOCK_ID, as printed by the apply that found the lock held")
	}
	location := cmd.String("state")
	if location == "" {
		location = a.defaultStateLocation()
	}
	st, err := openStore(ctx, location)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.LockRelease(ctx, cmd.Args().First()); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Removed the lock %s from %s.\n", cmd.Args().First(), st.Path())
	return nil
}
