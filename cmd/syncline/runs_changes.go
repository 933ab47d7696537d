package main

import (
	"context"
	"slices"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// runChanges is what runs show tells of a run's recorded changes: the
// first few to list, and counts over all of them.
type runChanges struct {
	listed []state.RunChange
	total  int
	tally  changeTally
}

// changePage is how many changes are read at a time to count them.
const changePage = 1000

// loadRunChanges reads the changes recorded for run id, keeping the first
// limit to list (all when limit < 0) and counting every one.
func loadRunChanges(ctx context.Context, st *state.Store, id int64, limit int) (*runChanges, error) {
	rc := &runChanges{tally: changeTally{}}
	for offset := 0; ; offset += changePage {
		page, total, err := st.RunChanges(ctx, id, offset, changePage)
		if err != nil {
			return nil, err
		}
		rc.total = total
		for _, c := range page {
			rc.tally.add(c)
			if limit < 0 || len(rc.listed) < limit {
				rc.listed = append(rc.listed, c)
			}
		}
		if len(page) < changePage {
			return rc, nil
		}
	}
}

// more is how many changes exist beyond those listed.
func (rc *runChanges) more() int { return max(rc.total-len(rc.listed), 0) }

// changeTally counts changes by object ("user", "account") and op.
type changeTally map[string]map[string]int

func (t changeTally) add(c state.RunChange) {
	if t[c.Object] == nil {
		t[c.Object] = map[string]int{}
	}
	t[c.Object][c.Op]++
}

// objects lists the objects counted: users, then accounts, then any
// other in name order.
func (t changeTally) objects() []string {
	return orderedKeys(t, []string{"user", "account"})
}

// ops lists the ops counted for object in reading order: what comes in
// first, then what changes, then what goes.
func (t changeTally) ops(object string) []string {
	return orderedKeys(t[object], changeOpOrder)
}

var changeOpOrder = []string{"add", "create", "modify", "enable", "disable", "link", "unlink", "delete"}

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
