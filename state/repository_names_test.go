package state

import (
	"errors"
	"fmt"
	"testing"
)

// sessionWrite runs fn in one transaction of rs and fails the test on error.
func sessionWrite(t *testing.T, b *bundle, rs *RepositorySession, fn func(*RepositoryTx) error) {
	t.Helper()
	if err := rs.RepositoryWrite(b.ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// session starts a repository session on b's store, closed when the
// test ends.
func (b *bundle) session(t *testing.T) *RepositorySession {
	t.Helper()
	rs, err := b.store.RepositorySession(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rs.Close() })
	return rs
}

// insertOutcome inserts u and says what became of it: its ID, or the
// name a UserExistsError named.
func insertOutcome(r *RepositoryTx, u *User) (string, error) {
	err := r.InsertUser(u)
	var exists *UserExistsError
	if errors.As(err, &exists) {
		return "taken " + exists.Name, nil
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("id %d", u.ID), nil
}

// A session holds new users back and inserts them many to a statement,
// and still refuses a taken name at the call — whether the name was
// stored before the session, by another writer while it ran (an insert,
// a rename, a delete that frees the largest ID), or earlier in the same
// transaction — while the batch goes on. IDs are those one-by-one
// inserts give.
func TestSessionHeldUsersRefuseTakenNames(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "mail")
	b.addUsers(t, newUser("old", nil), newUser("gone", nil)) // IDs 1, 2
	rs := b.session(t)

	steps := []struct {
		name    string
		foreign func(*RepositoryTx) error // another writer's transaction first
		inserts []string
		want    []string
	}{
		{name: "stored before", inserts: []string{"a", "old", "b", "a"},
			want: []string{"id 3", "taken old", "id 4", "taken a"}},
		{name: "inserted by another writer",
			foreign: func(r *RepositoryTx) error { return r.InsertUser(newUser("x", nil)) }, // ID 5
			inserts: []string{"x", "c"}, want: []string{"taken x", "id 6"}},
		{name: "renamed by another writer",
			foreign: func(r *RepositoryTx) error { return r.UpdateUser(&User{ID: 3, Name: "y", Status: UserActive}) },
			inserts: []string{"y", "a"}, want: []string{"taken y", "id 7"}},
		{name: "largest ID deleted and given again",
			foreign: func(r *RepositoryTx) error {
				if err := r.DeleteUser(7); err != nil {
					return err
				}
				return r.InsertUser(newUser("z", nil)) // ID 7 again
			},
			inserts: []string{"z", "d"}, want: []string{"taken z", "id 8"}},
	}
	for _, st := range steps {
		if st.foreign != nil {
			b.repo(t, st.foreign)
		}
		var got []string
		sessionWrite(t, b, rs, func(r *RepositoryTx) error {
			got = got[:0]
			for _, name := range st.inserts {
				o, err := insertOutcome(r, newUser(name, map[string]string{"mail": name + "@example.org"}))
				if err != nil {
					return err
				}
				got = append(got, o)
			}
			return nil
		})
		if fmt.Sprint(got) != fmt.Sprint(st.want) {
			t.Errorf("%s: inserts gave %v; want %v", st.name, got, st.want)
		}
	}
	for _, name := range []string{"b", "c", "d", "old", "x", "y", "z"} { // a became y; the second a was deleted
		if ids := b.findUsers(t, map[string]string{"name": name}, 2); len(ids) != 1 {
			t.Errorf("users named %q: %v; want one", name, ids)
		}
	}
	if ids := b.findUsers(t, map[string]string{"mail": "b@example.org"}, 2); len(ids) != 1 || ids[0] != 4 {
		t.Errorf("correlation key of a held user: %v; want [4]", ids)
	}
}

// A held user is seen by every read of the same transaction: by name,
// by ID, through its correlation keys; and a shadow may name it as owner.
func TestSessionHeldUsersAreSeenInTheirTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "mail")
	rs := b.session(t)
	sessionWrite(t, b, rs, func(r *RepositoryTx) error {
		u := newUser("held", map[string]string{"mail": "h@example.org"})
		if err := r.InsertUser(u); err != nil {
			return err
		}
		if !r.holdsUserID(u.ID) {
			t.Error("the session did not hold the new user back")
		}
		sh := shadow("hr", "k1")
		sh.Owner = u.ID
		if err := r.PutShadow(sh); err != nil {
			return err
		}
		byName, err := r.UserByName("held")
		if err != nil || byName == nil || byName.ID != u.ID {
			t.Errorf("UserByName = %+v, %v; want ID %d", byName, err, u.ID)
		}
		byID, err := r.UserByID(u.ID)
		if err != nil || byID == nil || byID.Name != "held" {
			t.Errorf("UserByID = %+v, %v; want held", byID, err)
		}
		ids, err := r.FindUsers(map[string]string{"mail": "h@example.org"}, 2)
		if err != nil || len(ids) != 1 || ids[0] != u.ID {
			t.Errorf("FindUsers = %v, %v; want [%d]", ids, err, u.ID)
		}
		return nil
	})
}

// A session's transaction that rolls back leaves nothing of its held
// users, and the next one still gives IDs and refuses names exactly.
func TestSessionHeldUsersRollBack(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rs := b.session(t)
	boom := errors.New("boom")
	err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
		if err := r.InsertUser(newUser("a", nil)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v; want boom", err)
	}
	if n := b.count(t, "users"); n != 0 {
		t.Fatalf("%d users after the rollback; want 0", n)
	}
	var got []string
	sessionWrite(t, b, rs, func(r *RepositoryTx) error {
		for _, name := range []string{"a", "a"} {
			o, err := insertOutcome(r, newUser(name, nil))
			if err != nil {
				return err
			}
			got = append(got, o)
		}
		return nil
	})
	if want := "[id 1 taken a]"; fmt.Sprint(got) != want {
		t.Errorf("inserts gave %v; want %s", got, want)
	}
}

// The set of names that may be taken answers what it was told, through
// its growth.
func TestTakenNamesSet(t *testing.T) {
	t.Parallel()
	s := newTakenNames()
	if s.mayHave("a") {
		t.Fatal("an empty set has a")
	}
	for i := range 5000 {
		s.add(fmt.Sprint("n", i))
	}
	s.add("n1")
	for i := range 5000 {
		if !s.mayHave(fmt.Sprint("n", i)) {
			t.Fatalf("n%d missing", i)
		}
	}
	if s.n != 5000 {
		t.Errorf("n = %d; want 5000", s.n)
	}
	misses := 0
	for i := range 5000 {
		if !s.mayHave(fmt.Sprint("m", i)) {
			misses++
		}
	}
	if misses != 5000 {
		t.Errorf("%d of 5000 absent names found absent", misses)
	}
}

// A user inserted at once (its name may be taken: here a name a user
// was renamed from) between users held back gets the next ID after
// theirs, and every one is found by its ID and name in the same
// transaction and after the commit; the held users' IDs are those
// one-by-one inserts give, whether the store or SQLite numbers them.
func TestSessionUserInsertedAtOnceBetweenHeldOnes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rs := b.session(t)
	sessionWrite(t, b, rs, func(r *RepositoryTx) error { return r.InsertUser(newUser("a", nil)) }) // ID 1
	sessionWrite(t, b, rs, func(r *RepositoryTx) error {
		return r.UpdateUser(&User{ID: 1, Name: "renamed", Status: UserActive}) // "a" stays in the set
	})
	want := map[string]int64{"c": 2, "a": 3, "d": 4, "e": 5}
	sessionWrite(t, b, rs, func(r *RepositoryTx) error {
		for _, name := range []string{"c", "a", "d", "e"} {
			u := newUser(name, nil)
			if err := r.InsertUser(u); err != nil {
				return err
			}
			if held := r.holdsUserID(u.ID); held != (name != "a") {
				t.Errorf("user %s held back: %v", name, held)
			}
		}
		for name, id := range want {
			if u, err := r.UserByID(id); err != nil || u == nil || u.Name != name {
				t.Errorf("UserByID(%d) = %+v, %v; want %s", id, u, err, name)
			}
		}
		return nil
	})
	for name, id := range want {
		if ids := b.findUsers(t, map[string]string{"name": name}, 2); len(ids) != 1 || ids[0] != id {
			t.Errorf("users named %q: %v; want [%d]", name, ids, id)
		}
	}
}
