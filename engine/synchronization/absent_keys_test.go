package synchronization_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// meddling is a clock that, read for the nth time, runs meddle: the pass
// reads the clock between its transactions.
type meddling struct {
	*clock.Fake
	reads  *atomic.Int64
	n      int64
	meddle func()
}

func (c meddling) Now() time.Time {
	if c.reads.Add(1) == c.n {
		c.meddle()
	}
	return c.Fake.Now()
}

// TestAbsentKeysSeeAnotherWriter: an import that creates hundreds of
// accounts answers "no shadow has this key" from the keys it loaded; when
// someone else stores a shadow of the target meanwhile — here an unowned
// app/p500, before p500's turn — the import asks the repository again and
// links that shadow to p500 instead of storing a second one.
func TestAbsentKeysSeeAnotherWriter(t *testing.T) {
	t.Parallel()
	b := setup(t, map[string]string{"hr.csv": staff(600), "main.hcl": hrResource("") + appResource(sqliteApp, "") + tasks("")})
	var reads atomic.Int64
	other := &state.Shadow{Resource: "app", Kind: "account", Intent: "default", Identifier: "p500", Key: "p500",
		Attributes: map[string][]string{"login": {"p500"}}, Situation: "unmatched"}
	job := importJob(t, b, &totals{})
	job.BatchSize = 50 // twelve steps; the keys load after the sixth
	job.Clock = meddling{Fake: clock.NewFake(time.Now()), reads: &reads, n: 9, meddle: func() {
		if err := b.store.RepositoryWrite(b.ctx, func(r *state.RepositoryTx) error { return r.PutShadow(other) }); err != nil {
			t.Error(err)
		}
	}}
	if err := synchronization.Import(b.ctx, job); err != nil {
		t.Fatal(err)
	}
	if reads.Load() < 9 {
		t.Fatalf("the clock was read %d times, never with the other shadow stored", reads.Load())
	}
	sh, err := b.store.ShadowByKey(b.ctx, "app", "account", "default", "p500")
	if err != nil {
		t.Fatal(err)
	}
	u := b.user(t, "p500")
	if sh == nil || sh.ID != other.ID || sh.Owner != u.ID || sh.Dead {
		t.Errorf("app/p500 after the import: %+v, want linked to p500 (ID %d)", sh, u.ID)
	}
	if n := len(b.users(t)); n != 600 {
		t.Errorf("%d users, want 600", n)
	}
}
