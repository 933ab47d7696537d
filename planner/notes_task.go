package planner

import (
	"fmt"
	"strconv"

	"github.com/syncline/syncline/config"
)

// thresholdNames are the limits of a thresholds block; 0 means none.
var thresholdNames = []string{"max_deletions", "max_disables", "max_creations", "max_membership_removals"}

// taskNotes are the notes on a task change: a deleted task is closed, a
// task that starts writing, thresholds raised or removed.
func taskNotes(ch *Change) []string {
	if ch.Action == Delete {
		return []string{"The task will be closed; its run history is kept."}
	}
	if ch.Before == nil || ch.After == nil {
		return nil
	}
	notes := modeNotes(ch.Before.Spec, ch.After.Spec)
	return append(notes, thresholdNotes(ch.Before.Spec, ch.After.Spec)...)
}

// modeNotes warns when a task moves from preview or dry_run to full: from
// now on its activities write to resources and the repository.
func modeNotes(before, after map[string]string) []string {
	b, a := before["mode"], after["mode"]
	if a != Quote(string(config.ModeFull)) || b == a || b == "" {
		return nil
	}
	return []string{fmt.Sprintf("Mode changes from %s to %s: the task's activities will write to resources and the repository.", b, a)}
}

// thresholdNotes warns about every threshold of a remaining activity that is
// raised or removed.
func thresholdNotes(before, after map[string]string) []string {
	var notes []string
	for i := 0; ; i++ {
		prefix := indexed("activity", i) + "."
		typ, ok := after[prefix+"type"]
		if !ok {
			return notes
		}
		for _, name := range thresholdNames {
			path := prefix + "thresholds." + name
			if note := thresholdNote(path, typ, limit(before[path]), limit(after[path])); note != "" {
				notes = append(notes, note)
			}
		}
	}
}

func thresholdNote(path, typ string, before, after int) string {
	switch {
	case before > 0 && after == 0:
		return fmt.Sprintf("%s (%s) is removed (was %d): nothing stops this activity before mass changes.", path, unquoteOr(typ), before)
	case before > 0 && after > before:
		return fmt.Sprintf("%s (%s) is raised from %d to %d.", path, unquoteOr(typ), before, after)
	}
	return ""
}

// limit reads a threshold rendering; absent and 0 both mean no limit.
func limit(rendered string) int {
	n, _ := strconv.Atoi(rendered)
	return n
}

func unquoteOr(rendered string) string {
	if s, ok := Unquote(rendered); ok {
		return s
	}
	return rendered
}
