package state

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// Users whose names ExpectNewUsers found free are held back and inserted
// many at a time, yet a transaction sees exactly what one insert per user
// gives: the same IDs, a taken name refused by the InsertUser that meets
// it, the held users found by name and ID, their keys, and shadows they own.
func TestHeldUsersAreAsInsertedAtOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "mail")
	b.addUsers(t, newUser("bob", nil))
	var ids []int64
	b.repo(t, func(r *RepositoryTx) error {
		names := []string{"ann", "bob", "cid", "ann"}
		for i := range 300 { // more than one multi-row statement
			names = append(names, fmt.Sprintf("u%03d", i))
		}
		if err := r.ExpectNewUsers(names); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, name := range names {
			u := newUser(name, map[string]string{"mail": name + "@example.com"})
			err := r.InsertUser(u)
			if name == "bob" || seen[name] {
				var exists *UserExistsError
				if !errors.As(err, &exists) || exists.Name != name {
					t.Errorf("InsertUser(%s): %v; want a UserExistsError", name, err)
				}
				continue
			}
			if err != nil {
				return err
			}
			seen[name] = true
			ids = append(ids, u.ID)
			if name == "cid" {
				got, err := r.UserByName("ann")
				if err != nil || got == nil || got.ID != ids[0] {
					t.Errorf("UserByName(ann) while held: %+v, %v", got, err)
				}
				sh := shadow("hr", "c1")
				sh.Owner = u.ID
				if err := r.PutShadow(sh); err != nil {
					return err
				}
			}
		}
		// An insert not announced goes in at once, after the held ones.
		late := newUser("late", nil)
		if err := r.InsertUser(late); err != nil {
			return err
		}
		ids = append(ids, late.ID)
		return nil
	})
	if len(ids) != 303 {
		t.Fatalf("%d users inserted, want 303", len(ids))
	}
	for i, id := range ids {
		if want := int64(i + 2); id != want { // bob is 1
			t.Fatalf("user %d has ID %d, want %d", i, id, want)
		}
	}
	if n := b.count(t, "users"); n != 304 {
		t.Errorf("%d users stored, want 304", n)
	}
	if got := b.findUsers(t, map[string]string{"mail": "u299@example.com"}, 2); !slices.Equal(got, []int64{ids[301]}) {
		t.Errorf("u299's mail finds %v, want [%d]", got, ids[301])
	}
}

// A name announced free is not free once a rename takes it; a deleted
// user's ID is given again, as SQLite gives it.
func TestHeldUsersAfterRenameAndDelete(t *testing.T) {
	t.Parallel()
	b := setup(t)
	bob := newUser("bob", nil)
	b.addUsers(t, newUser("amy", nil), bob)
	b.repo(t, func(r *RepositoryTx) error {
		if err := r.ExpectNewUsers([]string{"carl", "dan"}); err != nil {
			return err
		}
		bob.Name = "carl"
		if err := r.UpdateUser(bob); err != nil {
			return err
		}
		var exists *UserExistsError
		if err := r.InsertUser(newUser("carl", nil)); !errors.As(err, &exists) {
			t.Errorf("InsertUser(carl) after the rename: %v; want a UserExistsError", err)
		}
		if err := r.DeleteUser(bob.ID); err != nil {
			return err
		}
		dan := newUser("dan", nil)
		if err := r.InsertUser(dan); err != nil {
			return err
		}
		if dan.ID != bob.ID {
			t.Errorf("dan has ID %d, want the deleted %d", dan.ID, bob.ID)
		}
		return nil
	})
}
