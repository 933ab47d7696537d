package state

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestPutShadowInsertsThenUpdates(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.addUsers(t, newUser("alice", nil))[0]
	sh := shadow("hr", "a1")
	sh.Owner, sh.SyncedAt = owner, at(-time.Hour)
	sh.Attributes["memberOf"] = []string{"staff", "eng"}
	b.putShadows(t, sh)
	if sh.ID == 0 || !sh.CreatedAt.Equal(b.clock.Now()) {
		t.Fatalf("after insert: %+v", sh)
	}

	b.clock.Advance(time.Minute)
	sh.Identifier, sh.Hash, sh.Situation, sh.Dead, sh.Owner = "A1", "h2", "deleted", true, 0
	sh.Attributes = map[string][]string{"uid": {"a1"}, "empty": {}}
	b.putShadows(t, sh)
	b.repo(t, func(r *RepositoryTx) error {
		got, err := r.ShadowByID(sh.ID)
		if err != nil {
			return err
		}
		byKey, err := r.ShadowByKey("hr", "account", "default", "a1")
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, sh) || !reflect.DeepEqual(byKey, sh) {
			t.Errorf("read back:\n%+v\n%+v\nwant\n%+v", got, byKey, sh)
		}
		if !got.UpdatedAt.Equal(b.clock.Now()) || got.CreatedAt.Equal(got.UpdatedAt) {
			t.Errorf("created %v, updated %v", got.CreatedAt, got.UpdatedAt)
		}
		if none, err := r.ShadowByKey("hr", "account", "default", "A1"); none != nil || err != nil {
			t.Errorf("ShadowByKey(other key) = %+v, %v", none, err)
		}
		return nil
	})
}

func TestShadowConflictsAndUnknownIDs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	shadows := b.putShadows(t, shadow("hr", "a1"), shadow("hr", "a2"))
	tests := map[string]struct {
		write func(*RepositoryTx) error
		want  any
	}{
		"insert twice": {func(r *RepositoryTx) error { return r.PutShadow(shadow("hr", "a1")) }, new(*ShadowExistsError)},
		"rekey onto another": {func(r *RepositoryTx) error {
			sh := *shadows[1]
			sh.Key = "a1"
			return r.PutShadow(&sh)
		}, new(*ShadowExistsError)},
		"unknown ID": {func(r *RepositoryTx) error {
			sh := shadow("hr", "a9")
			sh.ID = 999
			return r.PutShadow(sh)
		}, new(*UnknownShadowError)},
		"no key": {func(r *RepositoryTx) error { return r.PutShadow(shadow("hr", "")) }, new(*InvalidRepositoryError)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if err := b.store.RepositoryWrite(b.ctx, tt.write); !errors.As(err, tt.want) {
				t.Fatalf("err = %v; want %T", err, tt.want)
			}
		})
	}
}

func TestDeleteUserUnlinksShadows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.addUsers(t, newUser("alice", nil), newUser("bob", nil))
	a1, a2, b1 := shadow("hr", "a1"), shadow("ldap", "a1"), shadow("hr", "b1")
	a1.Owner, a2.Owner, b1.Owner = ids[0], ids[0], ids[1]
	b.putShadows(t, a2, a1, b1)

	got, err := b.store.UserShadows(b.ctx, ids[0])
	if err != nil || len(got) != 2 || got[0].ID != a1.ID || got[1].ID != a2.ID {
		t.Fatalf("UserShadows = %+v, %v; want a1 (hr) then a2 (ldap)", got, err)
	}
	b.repo(t, func(r *RepositoryTx) error { return r.DeleteUser(ids[0]) })
	b.repo(t, func(r *RepositoryTx) error {
		for _, sh := range []*Shadow{a1, a2} {
			got, err := r.ShadowByID(sh.ID)
			if err != nil {
				return err
			}
			if got == nil || got.Owner != 0 {
				t.Errorf("shadow %s after its owner was deleted: %+v", sh.Key, got)
			}
		}
		mine, err := r.ShadowsOfUser(ids[1])
		if len(mine) != 1 || mine[0].ID != b1.ID {
			t.Errorf("bob's shadows = %+v, %v", mine, err)
		}
		return err
	})
}

func TestDeleteShadow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sh := b.putShadows(t, shadow("hr", "a1"))[0]
	b.repo(t, func(r *RepositoryTx) error { return r.DeleteShadow(sh.ID) })
	b.repo(t, func(r *RepositoryTx) error {
		if got, err := r.ShadowByID(sh.ID); got != nil || err != nil {
			t.Errorf("after DeleteShadow: %+v, %v", got, err)
		}
		return r.DeleteShadow(sh.ID)
	})
}

func TestPendingShadows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	now := b.clock.Now()
	op := func(queued, next time.Duration) PendingOperation {
		p := PendingOperation{Op: OpUpdate, QueuedAt: now.Add(queued), Attributes: map[string][]string{"mail": {"x"}}}
		if next != 0 {
			p.NextAttemptAt = now.Add(next)
		}
		return p
	}
	late, early, retry, future, other, none := shadow("hr", "late"), shadow("hr", "early"),
		shadow("hr", "retry"), shadow("hr", "future"), shadow("ldap", "other"), shadow("hr", "none")
	late.Pending = []PendingOperation{op(-time.Minute, 0)}
	early.Pending = []PendingOperation{op(-time.Hour, 0), op(-time.Minute, 0)}
	retry.Pending = []PendingOperation{op(-2*time.Hour, -30*time.Minute)} // queued long ago, due again later
	future.Pending = []PendingOperation{op(-time.Hour, time.Hour)}
	other.Pending = []PendingOperation{op(-time.Hour, 0)}
	queuedNow := shadow("hr", "queued-now")
	queuedNow.Pending = []PendingOperation{{Op: OpCreate}} // QueuedAt zero: the transaction's time
	b.putShadows(t, late, early, retry, future, other, none, queuedNow)

	got, err := b.store.ShadowsPending(b.ctx, "hr", now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if keys := shadowKeys(got); !reflect.DeepEqual(keys, []string{"early", "retry", "late", "queued-now"}) {
		t.Errorf("PendingShadows = %q", keys)
	}
	if got, _ := b.store.ShadowsPending(b.ctx, "hr", now, 2); !reflect.DeepEqual(shadowKeys(got), []string{"early", "retry"}) {
		t.Errorf("PendingShadows limit 2 = %q", shadowKeys(got))
	}
	if !queuedNow.Pending[0].QueuedAt.Equal(now) {
		t.Errorf("a pending operation without QueuedAt got %v; want %v", queuedNow.Pending[0].QueuedAt, now)
	}

	// Done: the shadow leaves the queue.
	early.Pending = nil
	b.putShadows(t, early)
	if got, _ := b.store.ShadowsPending(b.ctx, "hr", now, 0); !reflect.DeepEqual(shadowKeys(got), []string{"retry", "late", "queued-now"}) {
		t.Errorf("after clearing early: %q", shadowKeys(got))
	}
	var nulls int
	if err := b.store.db.QueryRow(`SELECT count(*) FROM shadows WHERE pending IS NULL AND next_attempt_at IS NULL`).Scan(&nulls); err != nil || nulls != 2 {
		t.Errorf("%d shadows without pending and due time (%v); want 2", nulls, err)
	}
	back, _ := b.store.ShadowsByID(b.ctx, []int64{retry.ID})
	if len(back) != 1 || len(back[0].Pending) != 1 || !back[0].Pending[0].NextAttemptAt.Equal(now.Add(-30*time.Minute)) {
		t.Errorf("pending read back: %+v", back)
	}
}

func shadowKeys(shadows []*Shadow) []string {
	keys := []string{}
	for _, sh := range shadows {
		keys = append(keys, sh.Key)
	}
	return keys
}

func TestShadowSummaries(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := b.addUsers(t, newUser("alice", nil))[0]
	c, a, d := shadow("hr", "c"), shadow("hr", "a"), shadow("hr", "d")
	a.Owner, a.Pending = owner, []PendingOperation{{Op: OpDisable}}
	c.Dead, c.Situation, c.MappingHash = true, "deleted", "m2"
	d.Situation = "a situation of its own"
	group := shadow("hr", "a")
	group.Kind = "group"
	b.putShadows(t, c, a, d, group, shadow("ldap", "b"))

	var got []ShadowSummary
	err := b.store.ShadowSummaries(b.ctx, "hr", "account", "default", func(s ShadowSummary) error {
		got = append(got, s)
		return nil
	})
	want := []ShadowSummary{
		{ID: a.ID, Key: "a", Hash: "h-a", MappingHash: "m1", Owner: owner, Situation: "linked", HasPending: true},
		{ID: c.ID, Key: "c", Hash: "h-c", MappingHash: "m2", Situation: "deleted", Dead: true},
		{ID: d.ID, Key: "d", Hash: "h-d", MappingHash: "m1", Situation: "a situation of its own"},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ShadowSummaries = %+v, %v\nwant %+v", got, err, want)
	}

	stop := errors.New("stop")
	n := 0
	err = b.store.ShadowSummaries(b.ctx, "hr", "account", "default", func(ShadowSummary) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("a callback error: %v after %d calls; want it back unwrapped after 1", err, n)
	}
	err = b.store.ShadowSummaries(b.ctx, "nowhere", "account", "default", func(ShadowSummary) error { n++; return nil })
	if err != nil || n != 1 {
		t.Errorf("an empty object type: %v, %d calls", err, n-1)
	}
}

func TestShadowsByID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	shadows := b.putShadows(t, shadow("hr", "a"), shadow("hr", "b"), shadow("hr", "c"))
	got, err := b.store.ShadowsByID(b.ctx, []int64{shadows[2].ID, 12345, shadows[0].ID})
	if err != nil || !reflect.DeepEqual(shadowKeys(got), []string{"a", "c"}) {
		t.Fatalf("ShadowsByID = %q, %v", shadowKeys(got), err)
	}
	if got, err := b.store.ShadowsByID(b.ctx, nil); got != nil || err != nil {
		t.Errorf("ShadowsByID(nil) = %v, %v", got, err)
	}
}
