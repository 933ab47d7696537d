package state

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// New shadows and correlation keys are inserted many at a time; within
// the transaction every read sees them as if they had gone in at once.
func TestHeldRowsAreSeenByLaterStatements(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "employee_number")
	b.repo(t, func(r *RepositoryTx) error {
		var users []*User
		for i := range shadowRowsPerInsert + 3 { // a full statement and a partial one
			u := newUser(fmt.Sprintf("u%d", i), map[string]string{"employee_number": fmt.Sprintf("e%d", i)})
			if err := r.InsertUser(u); err != nil {
				return err
			}
			sh := shadow("hr", fmt.Sprintf("k%d", i))
			sh.Owner = u.ID
			if err := r.PutShadow(sh); err != nil {
				return err
			}
			if sh.ID != int64(i+1) {
				t.Errorf("shadow %d has ID %d, want %d", i, sh.ID, i+1)
			}
			users = append(users, u)
		}
		last := users[len(users)-1]
		found, ok, err := r.FindUsersByValues("employee_number", []string{"e0", last.Attributes["employee_number"]})
		if err != nil || !ok || len(found) != 2 {
			t.Errorf("FindUsersByValues = %v, %v, %v", found, ok, err)
		}
		byOwner, err := r.ShadowsOfUser(last.ID)
		if err != nil || len(byOwner) != 1 || byOwner[0].Key != fmt.Sprintf("k%d", len(users)-1) {
			t.Errorf("ShadowsOfUser = %v, %v", byOwner, err)
		}
		// The update's trigger removes the key held back with the user.
		last.Attributes["employee_number"] = "e-new"
		if err := r.UpdateUser(last); err != nil {
			return err
		}
		if ids, err := r.FindUsers(map[string]string{"employee_number": "e-new"}, 2); err != nil || !reflect.DeepEqual(ids, []int64{last.ID}) {
			t.Errorf("FindUsers(new value) = %v, %v", ids, err)
		}
		if ids, err := r.FindUsers(map[string]string{"employee_number": fmt.Sprintf("e%d", len(users)-1)}, 2); err != nil || len(ids) != 0 {
			t.Errorf("FindUsers(old value) = %v, %v", ids, err)
		}
		return nil
	})
}

// A new shadow gets the ID SQLite would give it, also after the largest
// was deleted in the same transaction.
func TestNewShadowIDsAreSQLites(t *testing.T) {
	t.Parallel()
	b := setup(t)
	shs := b.putShadows(t, shadow("hr", "a1"), shadow("hr", "a2"))
	b.repo(t, func(r *RepositoryTx) error {
		if err := r.DeleteShadow(shs[1].ID); err != nil {
			return err
		}
		sh := shadow("hr", "a3")
		if err := r.PutShadow(sh); err != nil {
			return err
		}
		if sh.ID != shs[1].ID {
			t.Errorf("after deleting ID %d, the new shadow has ID %d", shs[1].ID, sh.ID)
		}
		return nil
	})
}

// New shadows of several statements, around a delete of the largest
// ID, are found after the commit under the IDs PutShadow gave them.
func TestNewShadowsKeepTheirIDs(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var shs []*Shadow
	put := func(r *RepositoryTx, n int) error {
		for range n {
			sh := shadow("hr", fmt.Sprintf("k%d", len(shs)))
			if err := r.PutShadow(sh); err != nil {
				return err
			}
			shs = append(shs, sh)
		}
		return nil
	}
	b.repo(t, func(r *RepositoryTx) error {
		if err := put(r, shadowRowsPerInsert+3); err != nil {
			return err
		}
		if err := r.DeleteShadow(shs[len(shs)-1].ID); err != nil {
			return err
		}
		shs = shs[:len(shs)-1]
		return put(r, 2*shadowRowsPerInsert)
	})
	b.repo(t, func(r *RepositoryTx) error {
		for _, want := range shs {
			got, err := r.ShadowByID(want.ID)
			if err != nil {
				return err
			}
			if got == nil || got.Key != want.Key {
				t.Errorf("shadow %d: %+v; want key %s", want.ID, got, want.Key)
			}
		}
		return nil
	})
}

// Two new shadows of one object in a transaction: the second is a
// ShadowExistsError, and nothing of the transaction is stored.
func TestHeldShadowConflictFailsTheTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	err := b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
		for _, key := range []string{"a1", "a2", "a1"} {
			if err := r.PutShadow(shadow("hr", key)); err != nil {
				return err
			}
		}
		return nil
	})
	var exists *ShadowExistsError
	if !errors.As(err, &exists) || exists.Key != "a1" {
		t.Fatalf("err = %v; want a ShadowExistsError for a1", err)
	}
	b.repo(t, func(r *RepositoryTx) error {
		if sh, err := r.ShadowByKey("hr", "account", "default", "a2"); sh != nil || err != nil {
			t.Errorf("a2 after the failed transaction: %+v, %v", sh, err)
		}
		return nil
	})
}

// TestShadowByKeySeesHeldShadows: a new shadow held back is found by its
// key at once, and one with another key does not make the lookup insert
// what is held.
func TestShadowByKeySeesHeldShadows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	err := b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
		held := &Shadow{Resource: "app", Kind: "account", Intent: "default", Identifier: "Alice", Key: "alice"}
		if err := r.PutShadow(held); err != nil {
			return err
		}
		got, err := r.ShadowByKey("app", "account", "default", "alice")
		if err != nil {
			return err
		}
		if got == nil || got.ID != held.ID || got.Identifier != "Alice" {
			t.Errorf("held shadow by key: %+v", got)
		}
		second := &Shadow{Resource: "app", Kind: "account", Intent: "default", Identifier: "Bob", Key: "bob"}
		if err := r.PutShadow(second); err != nil {
			return err
		}
		if other, err := r.ShadowByKey("app", "account", "default", "carol"); err != nil || other != nil {
			t.Errorf("carol: %+v %v", other, err)
		}
		if len(r.held.sh) != 1 {
			t.Errorf("a lookup of another key inserted the %d shadows held", len(r.held.sh))
		}
		if got, err := r.ShadowByKey("app", "account", "other", "bob"); err != nil || got != nil {
			t.Errorf("bob of another intent: %+v %v", got, err)
		}
		got, err = r.ShadowByKey("app", "account", "default", "bob")
		if err != nil || got == nil || got.ID != second.ID {
			t.Errorf("bob: %+v %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A held users' insert that fails — a taken name the session's set
// missed, which would be a fault — leaves the transaction unable to
// commit, even when its caller ignores the error and goes on: none of
// the transaction's users is stored (on SQLite the rows before the
// failing one stay in the failed statement until the rollback).
func TestHeldUsersFailureFailsTheTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rs := b.session(t)
	sessionWrite(t, b, rs, func(r *RepositoryTx) error { return r.InsertUser(newUser("old", nil)) })
	err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
		if err := r.InsertUser(newUser("a", nil)); err != nil {
			return err
		}
		if !r.holdsUserID(2) {
			t.Error("the session did not hold the new user back")
		}
		id := r.users.nextID
		r.users.nextID++
		if err := r.bufferUser(id, "old", UserActive, "{}"); err != nil { // as if the set had missed "old"
			return err
		}
		if err := r.flushUsers(); err == nil {
			t.Error("inserting a taken name held back succeeded")
		}
		_ = r.InsertUser(newUser("b", nil)) // the caller goes on
		return nil
	})
	if err == nil {
		t.Error("the transaction committed after its held users' insert failed")
	}
	if n := b.count(t, "users"); n != 1 {
		t.Errorf("%d users after the failed transaction; want 1", n)
	}
}

// New shadows that SQLite numbered otherwise than PutShadow did (which
// would be a fault: here the next ID is set wrong) fail their statement's
// flush, and the transaction cannot commit even when its caller goes on.
func TestNewShadowsUnderOtherIDsFailTheTransaction(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "PostgreSQL is given the IDs")
	b := setup(t)
	b.putShadows(t, shadow("hr", "a1"))
	err := b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
		r.held.nextShadowID = 5 // SQLite gives 2
		if err := r.PutShadow(shadow("hr", "a2")); err != nil {
			return err
		}
		if err := r.flushShadows(); !errors.Is(err, errShadowIDTaken) {
			t.Errorf("flush = %v; want errShadowIDTaken", err)
		}
		return nil // the caller goes on
	})
	if err == nil {
		t.Error("the transaction committed shadows under other IDs than PutShadow gave")
	}
	if n := b.count(t, "shadows"); n != 1 {
		t.Errorf("%d shadows after the failed transaction; want 1", n)
	}
}
