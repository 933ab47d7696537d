package views

import (
	"slices"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// RunChanges is what runs show tells of a run's recorded changes: the
// first few to list, how many there are, and counts over all of them.
type RunChanges struct {
	Listed []state.RunChange
	Total  int
	Tally  ChangeTally
	// ListAll is the command line that lists every change, which the
	// text view names when some are not listed.
	ListAll string
}

// more is how many changes exist beyond those listed.
func (rc RunChanges) more() int { return max(rc.Total-len(rc.Listed), 0) }

// ChangeTally counts changes by object ("user", "account") and op.
type ChangeTally map[string]map[string]int

// Add counts c: by its op, or as failed when its operation failed.
func (t ChangeTally) Add(c state.RunChange) {
	if t[c.Object] == nil {
		t[c.Object] = map[string]int{}
	}
	op := c.Op
	if c.Error != "" {
		op = failedOp
	}
	t[c.Object][op]++
}

// failedOp is what a tally counts a failed operation as.
const failedOp = "failed"

// objects lists the objects counted: users, then accounts, then any
// other in name order.
func (t ChangeTally) objects() []string {
	return orderedKeys(t, []string{"user", "account"})
}

// ops lists the ops counted for object in reading order: what comes in
// first, then what changes, then what goes.
func (t ChangeTally) ops(object string) []string {
	return orderedKeys(t[object], changeOpOrder)
}

var changeOpOrder = []string{"add", "create", "modify", "rename", "enable", "disable", "link", "unlink", "delete", failedOp}

// orderedKeys lists the keys of m: those in order first, in that order,
// then the rest sorted.
func orderedKeys[V any](m map[string]V, order []string) []string {
	var out []string
	for _, k := range order {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	for _, k := range config.SortedNames(m) {
		if !slices.Contains(order, k) {
			out = append(out, k)
		}
	}
	return out
}

// changesNotRecorded is how many changes the run made beyond those it
// kept (full mode keeps the first ones only): the activities count them
// in the statistic changes.not_recorded.
func changesNotRecorded(r *state.Run) int64 {
	var n int64
	for _, act := range r.Activities {
		n += act.Statistics["changes.not_recorded"]
	}
	return n
}
