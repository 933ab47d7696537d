package scheduler

import (
	"container/heap"
	"time"

	"github.com/syncline/syncline/engine/catalog"
)

// dueIndex orders the tasks by when the scheduler next has something to
// decide about them (see dueAt), as of one reading of the runtime
// records.
type dueIndex struct {
	catalog *catalog.Catalog
	readAt  time.Time
	heap    dueHeap
	byTask  map[string]*dueEntry
}

type dueEntry struct {
	status TaskStatus
	at     time.Time
	index  int // in the heap; -1 when not in it
}

func newDueIndex(cat *catalog.Catalog, readAt time.Time, statuses []TaskStatus) *dueIndex {
	x := &dueIndex{catalog: cat, readAt: readAt, byTask: make(map[string]*dueEntry, len(statuses))}
	for i := range statuses {
		x.set(&statuses[i])
	}
	return x
}

// set records a task's status and when it is next due.
func (x *dueIndex) set(ts *TaskStatus) {
	at, due := dueAt(ts)
	x.place(ts, at, due)
}

// setAt records a task's status, due at at whatever it says.
func (x *dueIndex) setAt(ts *TaskStatus, at time.Time) {
	x.place(ts, at, true)
}

func (x *dueIndex) place(ts *TaskStatus, at time.Time, due bool) {
	e, known := x.byTask[ts.Runtime.Task]
	if !known {
		e = &dueEntry{index: -1}
		x.byTask[ts.Runtime.Task] = e
	}
	e.status = *ts
	e.status.Active = nil
	switch {
	case !due && e.index >= 0:
		heap.Remove(&x.heap, e.index)
	case due && e.index >= 0:
		e.at = at
		heap.Fix(&x.heap, e.index)
	case due:
		e.at = at
		heap.Push(&x.heap, e)
	}
}

// popDue removes and returns the tasks due at or before now.
func (x *dueIndex) popDue(now time.Time) []string {
	var out []string
	for len(x.heap) > 0 && !x.heap[0].at.After(now) {
		e := heap.Pop(&x.heap).(*dueEntry)
		out = append(out, e.status.Runtime.Task)
	}
	return out
}

// status is the task's status as last recorded.
func (x *dueIndex) status(task string) TaskStatus {
	if e, ok := x.byTask[task]; ok {
		return e.status
	}
	return TaskStatus{}
}

// next is the earliest due time, but not before now; zero when nothing
// is ever due.
func (x *dueIndex) next(now time.Time) time.Time {
	if len(x.heap) == 0 {
		return time.Time{}
	}
	if at := x.heap[0].at; at.After(now) {
		return at
	}
	return now
}

type dueHeap []*dueEntry

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *dueHeap) Push(v any) {
	e := v.(*dueEntry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.index = -1
	return e
}
