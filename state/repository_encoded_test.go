package state

import (
	"fmt"
	"maps"
	"strings"
	"testing"
)

// Attributes encoded beforehand are stored as PutShadow, InsertUser and
// UpdateUser would encode them; an encoding of another map (the
// attributes were replaced after it was made, or it is of a map with
// the same entries) is not used: what is stored is always Attributes.
func TestEncodedAttributesAreUsedOnlyForTheirMap(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "mail")
	enc := func(m map[string]string) UserAttributes { return EncodeUserAttributes(m) }
	encShadow := func(m map[string][]string) ShadowAttributes { return EncodeShadowAttributes(m) }

	same := newUser("same", map[string]string{"mail": "s@example.org", "note": "<&>\u2028"})
	same.Encoded = enc(same.Attributes)
	replaced := newUser("replaced", map[string]string{"mail": "old@example.org"})
	replaced.Encoded = enc(replaced.Attributes)
	replaced.Attributes = map[string]string{"mail": "new@example.org"}
	lookalike := newUser("lookalike", map[string]string{"mail": "l@example.org"})
	lookalike.Encoded = enc(maps.Clone(lookalike.Attributes))
	lookalike.Encoded.text = `{"mail":"wrong@example.org"}` // would be stored if it were used

	sameSh := shadow("hr", "s1")
	sameSh.Encoded = encShadow(sameSh.Attributes)
	replacedSh := shadow("hr", "r1")
	replacedSh.Encoded = encShadow(replacedSh.Attributes)
	replacedSh.Attributes = map[string][]string{"uid": {"r1"}, "cn": {"R", "One"}}
	b.repo(t, func(r *RepositoryTx) error {
		for _, u := range []*User{same, replaced, lookalike} {
			if err := r.InsertUser(u); err != nil {
				return err
			}
		}
		for _, sh := range []*Shadow{sameSh, replacedSh} {
			if err := r.PutShadow(sh); err != nil {
				return err
			}
		}
		return nil
	})
	updated := *same
	updated.Attributes = map[string]string{"mail": "u@example.org"}
	updated.Encoded = enc(updated.Attributes)
	b.repo(t, func(r *RepositoryTx) error { return r.UpdateUser(&updated) })

	b.repo(t, func(r *RepositoryTx) error {
		for _, want := range []*User{&updated, replaced, lookalike} {
			got, err := r.UserByID(want.ID)
			if err != nil {
				return err
			}
			if got == nil || !maps.Equal(got.Attributes, want.Attributes) {
				t.Errorf("user %s read back with %v; want %v", want.Name, got, want.Attributes)
			}
		}
		for _, want := range []*Shadow{sameSh, replacedSh} {
			got, err := r.ShadowByID(want.ID)
			if err != nil {
				return err
			}
			if got == nil || fmt.Sprint(got.Attributes) != fmt.Sprint(want.Attributes) {
				t.Errorf("shadow %s read back with %v; want %v", want.Key, got, want.Attributes)
			}
		}
		return nil
	})
	if ids := b.findUsers(t, map[string]string{"mail": "new@example.org"}, 2); len(ids) != 1 || ids[0] != replaced.ID {
		t.Errorf("correlation key of the replaced attributes: %v; want [%d]", ids, replaced.ID)
	}
}

// Under go test, an encoding whose map was changed in place after it was
// made is caught: a use panics instead of storing stale attributes.
func TestEncodedAttributesChangedInPlacePanic(t *testing.T) {
	t.Parallel()
	m := map[string][]string{"uid": {"a1"}}
	e := EncodeShadowAttributes(m)
	if text, ok := e.of(m, appendShadowAttributes); !ok || text != `{"uid":["a1"]}` {
		t.Fatalf("of(its map) = %q, %v", text, ok)
	}
	m["uid"] = []string{"a2"}
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "changed in place") {
			t.Errorf("recover() = %v; want a panic about a change in place", p)
		}
	}()
	e.of(m, appendShadowAttributes)
}
