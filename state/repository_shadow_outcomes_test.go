package state

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// Outcomes stored many to a statement read back as PutShadow would have
// stored them: more shadows than one statement takes, some just inserted
// in the same transaction (held back), with every outcome column
// changed one way or another.
func TestPutShadowOutcomesReadBackWhole(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := newUser("ann", nil)
	b.addUsers(t, owner)
	n := 2*outcomeRowsPerUpdate + 3
	var put []*Shadow
	b.repo(t, func(r *RepositoryTx) error {
		for i := range n / 2 {
			sh := shadow("hr", fmt.Sprintf("k%03d", i))
			sh.Pending = []PendingOperation{{Op: OpCreate, Attributes: map[string][]string{"uid": {sh.Key}}}}
			if err := r.PutShadow(sh); err != nil {
				return err
			}
			put = append(put, sh)
		}
		return nil
	})
	b.repo(t, func(r *RepositoryTx) error {
		for i := n / 2; i < n; i++ { // held back when the outcomes are stored
			sh := shadow("hr", fmt.Sprintf("k%03d", i))
			sh.Pending = []PendingOperation{{Op: OpCreate, Attributes: map[string][]string{"uid": {sh.Key}}}}
			if err := r.PutShadow(sh); err != nil {
				return err
			}
			put = append(put, sh)
		}
		for i, sh := range put {
			switch i % 4 {
			case 0: // created
				sh.Pending, sh.Hash, sh.Owner = nil, fmt.Sprintf("done-%d", i), owner.ID
				sh.Attributes = map[string][]string{"uid": {sh.Key}, "mail": {"x@example.com"}}
			case 1: // failed: kept pending with a later attempt
				sh.Pending[0].Attempts, sh.Pending[0].LastError = 1, "refused"
				sh.Pending[0].NextAttemptAt = r.Now().Add(time.Minute)
			case 2: // deleted
				sh.Pending, sh.Dead, sh.Owner, sh.Situation, sh.Attributes = nil, true, 0, "deleted", nil
			}
		}
		return r.PutShadowOutcomes(put)
	})
	b.repo(t, func(r *RepositoryTx) error {
		for _, want := range put {
			got, err := r.ShadowByID(want.ID)
			if err != nil {
				return err
			}
			if want.Attributes == nil {
				want.Attributes = map[string][]string{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("shadow %s reads back as\n%+v\nwant\n%+v", want.Key, got, want)
			}
		}
		return nil
	})
	due, err := b.store.ShadowsPending(b.ctx, "hr", b.clock.Now().Add(2*time.Minute), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := n - (n+3)/4 - (n+1)/4; len(due) != want { // all but the created and the deleted
		t.Errorf("%d shadows pending after the outcomes, want %d", len(due), want)
	}
}

// An outcome for a shadow that does not exist is an UnknownShadowError,
// and stores nothing of its statement; bad input changes nothing.
func TestPutShadowOutcomesRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sh := shadow("hr", "k1")
	b.repo(t, func(r *RepositoryTx) error { return r.PutShadow(sh) })
	tests := []struct {
		name  string
		shs   func() []*Shadow
		check func(error) bool
	}{
		{"unknown ID", func() []*Shadow {
			c, gone := *sh, shadow("hr", "gone")
			c.Hash, gone.ID = "changed", sh.ID+100
			return []*Shadow{&c, gone}
		}, func(err error) bool {
			var u *UnknownShadowError
			return errors.As(err, &u) && u.ID == sh.ID+100
		}},
		{"no ID", func() []*Shadow {
			return []*Shadow{shadow("hr", "new")}
		}, func(err error) bool {
			var inv *InvalidRepositoryError
			return errors.As(err, &inv)
		}},
	}
	for _, tt := range tests {
		err := b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error { return r.PutShadowOutcomes(tt.shs()) })
		if !tt.check(err) {
			t.Errorf("%s: error %v", tt.name, err)
		}
	}
	b.repo(t, func(r *RepositoryTx) error {
		got, err := r.ShadowByID(sh.ID)
		if err == nil && got.Hash != sh.Hash {
			t.Errorf("hash %q after refused outcomes, want %q", got.Hash, sh.Hash)
		}
		return err
	})
}

// PutShadowQueues stores a shadow as PutShadowOutcomes stores it when the
// outcome changed only its hash and queue: two sets of the same shadows,
// more than one statement takes, some held back in the transaction, given
// the same outcomes one way and the other, read back alike — and the
// columns PutShadowQueues leaves alone keep what the row held.
func TestPutShadowQueuesStoresLikeOutcomes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := outcomeRowsPerUpdate + 5
	queued := func(set string, i int) *Shadow {
		sh := shadow("hr", fmt.Sprintf("%s%03d", set, i))
		sh.Hash = ""
		sh.Pending = []PendingOperation{{Op: OpCreate, Attributes: map[string][]string{"cn": {"P"}}}}
		return sh
	}
	var whole, queues []*Shadow
	put := func(r *RepositoryTx, from, to int) error {
		for i := from; i < to; i++ {
			w, q := queued("w", i), queued("q", i)
			if err := r.PutShadow(w); err != nil {
				return err
			}
			if err := r.PutShadow(q); err != nil {
				return err
			}
			whole, queues = append(whole, w), append(queues, q)
		}
		return nil
	}
	b.repo(t, func(r *RepositoryTx) error { return put(r, 0, n/2) })
	b.repo(t, func(r *RepositoryTx) error {
		if err := put(r, n/2, n); err != nil { // held back when the outcomes are stored
			return err
		}
		for _, set := range [][]*Shadow{whole, queues} {
			for i, sh := range set {
				switch i % 3 {
				case 0: // created
					sh.Pending, sh.Hash = nil, fmt.Sprintf("done-%d", i)
				case 1: // failed: kept pending with a later attempt
					sh.Pending[0].Attempts, sh.Pending[0].LastError = 1, "refused"
					sh.Pending[0].NextAttemptAt = r.Now().Add(time.Minute)
				}
			}
		}
		if err := r.PutShadowOutcomes(whole); err != nil {
			return err
		}
		for _, sh := range queues { // not stored by PutShadowQueues
			sh.Attributes, sh.Owner, sh.Situation, sh.Dead = map[string][]string{"uid": {"changed"}}, 99, "deleted", true
		}
		return r.PutShadowQueues(queues)
	})
	b.repo(t, func(r *RepositoryTx) error {
		for i := range whole {
			w, err := r.ShadowByID(whole[i].ID)
			if err != nil {
				return err
			}
			q, err := r.ShadowByID(queues[i].ID)
			if err != nil {
				return err
			}
			if want := "q" + w.Key[1:]; q.Key != want || q.Attributes["uid"][0] != want {
				t.Fatalf("shadow %d reads back as %+v, want key and uid %s", q.ID, q, want)
			}
			q.ID, q.Identifier, q.Key, q.Attributes = w.ID, w.Identifier, w.Key, w.Attributes
			if !reflect.DeepEqual(q, w) {
				t.Errorf("shadow %d stored by PutShadowQueues reads back as\n%+v\nby PutShadowOutcomes\n%+v", queues[i].ID, q, w)
			}
		}
		return nil
	})
	due, err := b.store.ShadowsPending(b.ctx, "hr", b.clock.Now().Add(2*time.Minute), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * (n - (n+2)/3); len(due) != want { // all but the created
		t.Errorf("%d shadows pending after the outcomes, want %d", len(due), want)
	}
}

// PutShadowQueues refuses a shadow that does not exist as PutShadowOutcomes
// does, and stores nothing of the statement that named it.
func TestPutShadowQueuesRefusesAnUnknownShadow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sh := shadow("hr", "k1")
	b.repo(t, func(r *RepositoryTx) error { return r.PutShadow(sh) })
	c, gone := *sh, shadow("hr", "gone")
	c.Hash, gone.ID = "changed", sh.ID+100
	err := b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error { return r.PutShadowQueues([]*Shadow{&c, gone}) })
	var u *UnknownShadowError
	if !errors.As(err, &u) || u.ID != gone.ID {
		t.Errorf("error %v, want an UnknownShadowError for shadow %d", err, gone.ID)
	}
	err = b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error { return r.PutShadowQueues([]*Shadow{shadow("hr", "new")}) })
	var inv *InvalidRepositoryError
	if !errors.As(err, &inv) {
		t.Errorf("a shadow without an ID: error %v, want an InvalidRepositoryError", err)
	}
	b.repo(t, func(r *RepositoryTx) error {
		got, err := r.ShadowByID(sh.ID)
		if err == nil && got.Hash != sh.Hash {
			t.Errorf("hash %q after the refused outcomes, want %q", got.Hash, sh.Hash)
		}
		return err
	})
}
