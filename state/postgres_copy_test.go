package state

import (
	"errors"
	"fmt"
	"testing"
)

func TestAppendCopyRows(t *testing.T) {
	t.Parallel()
	values := []any{int64(7), "a\tb\nc\rd\\e", nil, true, "", `\N`, 3, false}
	got, err := appendCopyRows(nil, values, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := "7\ta\\tb\\nc\\rd\\\\e\t\\N\t1\n\t\\\\N\t3\t0\n"
	if string(got) != want {
		t.Errorf("rows = %q, want %q", got, want)
	}
	if _, err := appendCopyRows(nil, []any{1.5}, 1); err == nil {
		t.Error("a float64 was copied; want an error")
	}
}

// The rows a session holds back (on PostgreSQL: copied, postgres_copy.go)
// come back as they were, whatever characters they hold; a held shadow
// of a stored object is a ShadowExistsError of that object.
func TestHeldRowsKeepEveryCharacter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "mail")
	odd := "tab\there, line\nbreak, cr\r, back\\slash, \\N, quote \"'\", ünïcode ✓"
	rs := b.session(t)
	var ids []int64
	names := []string{odd}
	for i := range copyMinRows { // enough rows for a COPY
		names = append(names, fmt.Sprintf("plain %d", i))
	}
	sessionWrite(t, b, rs, func(r *RepositoryTx) error {
		for _, name := range names {
			u := newUser(name, map[string]string{"mail": name + "@example.org", "note": odd})
			if err := r.InsertUser(u); err != nil {
				return err
			}
			sh := shadow("hr", name)
			sh.Identifier, sh.Owner, sh.Attributes = odd, u.ID, map[string][]string{"cn": {odd, ""}}
			sh.Pending = []PendingOperation{{Op: OpUpdate, Attributes: map[string][]string{"cn": {odd}}}}
			if err := r.PutShadow(sh); err != nil {
				return err
			}
			ids = append(ids, u.ID)
		}
		return nil
	})
	b.repo(t, func(r *RepositoryTx) error {
		u, err := r.UserByName(odd)
		if err != nil || u == nil || u.ID != ids[0] || u.Attributes["note"] != odd {
			t.Errorf("user %q = %+v, %v", odd, u, err)
		}
		found, _, err := r.FindUsersByValues("mail", []string{odd + "@example.org"})
		if err != nil || len(found) != 1 {
			t.Errorf("by mail: %v, %v", found, err)
		}
		sh, err := r.ShadowByKey("hr", "account", "default", odd)
		if err != nil || sh == nil || sh.Identifier != odd || sh.Owner != ids[0] ||
			len(sh.Attributes["cn"]) != 2 || sh.Attributes["cn"][0] != odd || len(sh.Pending) != 1 ||
			sh.Pending[0].Attributes["cn"][0] != odd {
			t.Errorf("shadow %q = %+v, %v", odd, sh, err)
		}
		return nil
	})
	err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
		if err := r.PutShadow(shadow("hr", "new")); err != nil {
			return err
		}
		return r.PutShadow(shadow("hr", odd))
	})
	var exists *ShadowExistsError
	if !errors.As(err, &exists) || exists.Key != odd {
		t.Fatalf("a held shadow of a stored object: %v; want its ShadowExistsError", err)
	}
}

// The marks a session trusts after a transaction that only inserted
// users (worked out, not read again) are those the table has.
func TestSessionMarksAfterInserts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.addUsers(t, newUser("old", nil))
	rs := b.session(t)
	for batch := range 3 {
		sessionWrite(t, b, rs, func(r *RepositoryTx) error {
			for i := range 3 {
				if _, err := insertOutcome(r, newUser(fmt.Sprintf("u%d-%d", batch, i), nil)); err != nil {
					return err
				}
			}
			_, err := insertOutcome(r, newUser("old", nil)) // taken: no ID
			return err
		})
		var stored userMarks
		b.repo(t, func(r *RepositoryTx) (err error) {
			stored, err = r.userMarks()
			return err
		})
		if batch == 0 && !rs.names.loaded {
			continue // the set is loaded once inserts one by one are worth it
		}
		if !rs.names.loaded || rs.names.trusted != stored {
			t.Fatalf("batch %d: the session trusts %+v (loaded %v); the table has %+v", batch, rs.names.trusted, rs.names.loaded, stored)
		}
	}
}
