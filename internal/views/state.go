package views

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// State is the view of show (without a plan file) and of syncline state:
// a summary of the store, its definitions, one definition's spec, the
// history of applies and failed syncs, and a removed lock.
type State interface {
	// Summary shows the store: where it is, lineage, serial, the
	// definitions and the latest applies.
	Summary(s StateSummary)
	// Definitions lists the stored definitions with their source.
	Definitions(snap *state.Snapshot)
	// Definition shows one stored definition's spec.
	Definition(addr string, d *state.Definition)
	// History lists applies, newest first.
	History(history []state.ApplyRecord)
	// SyncFailures lists the failed syncs of a followed branch.
	SyncFailures(failures []state.SyncFailure)
	// Unlocked says the lock id was removed from the store at path.
	Unlocked(id, path string)
}

// StateSummary is what show tells of a state store.
type StateSummary struct {
	Path     string
	Snapshot *state.Snapshot
	// History holds the latest applies, newest first.
	History []state.ApplyRecord
}

var _ State = (*StateHuman)(nil)

// NewState returns the text view of the state, which names revisions with
// labels.
func NewState(s Streams, labels RevisionLabels) State {
	return &StateHuman{streams: s, labels: labels}
}

// StateHuman is the text view of the state.
type StateHuman struct {
	streams Streams
	labels  RevisionLabels
}

// Summary writes the store's location, lineage and serial, its
// definitions counted by kind and listed, and the latest applies.
func (v *StateHuman) Summary(s StateSummary) {
	w, snap := v.streams.Stdout, s.Snapshot
	fmt.Fprintf(w, "State:   %s\nLineage: %s\nSerial:  %d\n", s.Path, orNone(snap.Lineage), snap.Serial)
	fmt.Fprintf(w, "\nDefinitions (%s):\n", countKinds(snap))
	if len(snap.Definitions) == 0 {
		fmt.Fprintln(w, "  none — run syncline apply to store the configuration")
	}
	writeDefinitionTable(w, snap, v.labels)
	fmt.Fprintln(w, "\nLatest applies:")
	if len(s.History) == 0 {
		fmt.Fprintln(w, "  none")
	}
	writeHistoryTable(w, s.History, v.labels)
}

// Definitions writes the table of stored definitions.
func (v *StateHuman) Definitions(snap *state.Snapshot) {
	writeDefinitionTable(v.streams.Stdout, snap, v.labels)
}

// Definition writes a header naming the definition's source and hash,
// then its spec, one aligned "path = value" line per attribute.
func (v *StateHuman) Definition(addr string, d *state.Definition) {
	w := v.streams.Stdout
	fmt.Fprintf(w, "# %s (%s:%d, hash %s)\n", addr, d.SourceFile, d.SourceLine, d.Hash)
	paths := make([]string, 0, len(d.Spec))
	width := 0
	for p := range d.Spec {
		paths = append(paths, p)
		width = max(width, len(p))
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(w, "%s%s = %s\n", p, strings.Repeat(" ", width-len(p)), d.Spec[p])
	}
}

// History writes the table of applies, or "No applies yet."
func (v *StateHuman) History(history []state.ApplyRecord) {
	if len(history) == 0 {
		fmt.Fprintln(v.streams.Stdout, "No applies yet.")
	}
	writeHistoryTable(v.streams.Stdout, history, v.labels)
}

// SyncFailures lists the failed syncs of a followed branch, newest first,
// each with the first line of what went wrong; the whole text is in
// serve's log. It writes nothing when there are none.
func (v *StateHuman) SyncFailures(failures []state.SyncFailure) {
	if len(failures) == 0 {
		return
	}
	w := v.streams.Stdout
	fmt.Fprintln(w, "\nFailed syncs (nothing was applied; serve kept running what was applied before):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range failures {
		when := FormatTime(f.LastAt)
		if f.Attempts > 1 {
			when += fmt.Sprintf(" (%d times since %s)", f.Attempts, FormatTime(f.FirstAt))
		}
		rev := "-"
		if f.Revision != "" {
			rev = v.labels.Label(f.Revision)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", when, f.Branch, rev, firstLine(f.Error))
	}
	tw.Flush()
}

// Unlocked writes "Removed the lock ID from PATH."
func (v *StateHuman) Unlocked(id, path string) {
	fmt.Fprintf(v.streams.Stdout, "Removed the lock %s from %s.\n", id, path)
}

// writeDefinitionTable lists the stored definitions with their source and,
// for those applied from git, the revision that last changed them.
func writeDefinitionTable(w io.Writer, snap *state.Snapshot, labels RevisionLabels) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, addr := range config.SortedNames(snap.Definitions) {
		d := snap.Definitions[addr]
		fmt.Fprintf(tw, "  %s\t%s:%d\tupdated %s", addr, d.SourceFile, d.SourceLine, FormatTime(d.UpdatedAt))
		if d.Revision != "" {
			fmt.Fprintf(tw, "\trevision %s", labels.Label(d.Revision))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// writeHistoryTable lists applies: serial, time, who, revision ("-" when
// applied from a directory) and what changed.
func writeHistoryTable(w io.Writer, history []state.ApplyRecord, labels RevisionLabels) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, h := range history {
		fmt.Fprintf(tw, "  serial %d\t%s\t%s\t%s\t%s\n", h.Serial, FormatTime(h.At), h.Who, labels.Label(h.Revision), summarizeChanges(h.Changes)+forcedOverNote(h, labels))
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
		parts = append(parts, fmt.Sprintf("%d %s", counts[kind], plural(counts[kind], kind)))
	}
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none yet)"
	}
	return s
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
