package state

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestApplyFailureAtAnyStatementChangesNothing fails an apply after its
// first statement, then after its second, and so on until one succeeds,
// and checks every time that the stored state is exactly what it was.
func TestApplyFailureAtAnyStatementChangesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply(t, ApplyRequest{Upserts: []*Definition{
		def("resource", "hr", "1"), def("task", "a", "1"), def("task", "b", "1"), def("task", "c", "1"),
		def("schedule", "nightly", "1"),
	}})
	b.enqueue(t, Run{Task: "a"})
	b.enqueue(t, Run{Task: "c"})
	req := b.request(t)
	req.Moves = []Move{{From: "task.a", To: "task.renamed"}}
	req.Upserts = []*Definition{def("resource", "hr", "2"), def("task", "b", "1"), def("task", "new", "1")}
	req.Deletes = []string{"schedule.nightly", "task.c"}
	req.Changes = json.RawMessage(`{"add":1,"change":1,"remove":1}`)
	before := b.dump(t)

	injected := errors.New("injected failure")
	for n := 1; ; n++ {
		count := 0
		var failedAt string
		b.store.testHookAfterStatement = func(stmt string) error {
			count++
			if count == n {
				failedAt = stmt
				return injected
			}
			return nil
		}
		res, err := b.store.Apply(b.ctx, req)
		if err == nil {
			if n < 10 {
				t.Fatalf("the apply ran only %d statements; the test covers too little", n-1)
			}
			if !res.Changed || res.Serial != req.Serial+1 {
				t.Fatalf("apply without failure = %+v", res)
			}
			return
		}
		if !errors.Is(err, injected) {
			t.Fatalf("statement %d: err = %v; want the injected failure", n, err)
		}
		if after := b.dump(t); after != before {
			t.Fatalf("failing after statement %d (%s) changed the state:\n%s\nwas:\n%s",
				n, firstLine(failedAt), after, before)
		}
	}
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i] + " …"
		}
	}
	return s
}
