package state

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestImpactShadowsEachAnswersAsPointReads: every shadow of the type comes
// once, by key, as ShadowsEach reads it; an unsettled linked one comes
// with the owner UserByID reads and the shadows ShadowsOfUser reads
// (times aside, which the impact read leaves out), the others without.
func TestImpactShadowsEachAnswersAsPointReads(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.addUsers(t, newUser("alice", map[string]string{"mail": `a"quoted"@x`}), newUser("bob", nil),
		newUser("carol", map[string]string{"mail": "carol@x"}), newUser("dave", nil))
	alice, bob, carol, dave := ids[0], ids[1], ids[2], ids[3]
	full := strings.Repeat("0", 32)
	mk := func(resource, kind, key string, owner int64, hash, mapping string) *Shadow {
		sh := shadow(resource, key)
		sh.Kind, sh.Owner, sh.Hash, sh.MappingHash = kind, owner, hash, mapping
		return sh
	}
	pending := mk("ldap", "account", "a", alice, full, "m1")
	pending.Pending = []PendingOperation{{Op: OpUpdate, Attributes: map[string][]string{"cn": {"A\u00e9"}},
		QueuedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}
	dead := mk("app", "account", "d", dave, "h-d", "m0")
	dead.Dead, dead.Situation = true, "deleted"
	escaped := mk("app", "account", "a", alice, full, "m0") // another mapping: unsettled
	escaped.Attributes = map[string][]string{"uid": {"a"}, "cn": {`back\slash`, "tab\there"}}
	unlinked := mk("app", "account", "e", 0, "h-e", "m0")
	unlinked.Situation = "unlinked"
	b.putShadows(t,
		escaped,
		mk("app", "account", "f", alice, full, "m1"), // settled, but alice's second account
		mk("app", "group", "a", alice, full, "m1"),   // another kind: alice's, not walked
		mk("hr", "account", "a", alice, full, "m1"),
		pending,
		mk("app", "account", "b", bob, full, "m1"),    // settled
		mk("app", "account", "c", carol, "h-c", "m1"), // a short hash: unsettled
		dead, unlinked)

	q := ImpactShadowsQuery{Resource: "app", Kind: "account", Intent: "default", MappingHash: "m1"}
	got := b.impactShadows(t, q)
	var want []*Shadow
	if err := b.store.ShadowsEach(b.ctx, "app", "account", "default", func(sh *Shadow) error {
		want = append(want, withoutTimes(sh))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d shadows; want %d", len(got), len(want))
	}
	joined := map[string]bool{"a": true, "c": true}
	for i, g := range got {
		key := want[i].Key
		if !reflect.DeepEqual(g.Shadow, want[i]) {
			t.Errorf("shadow %d = %+v; want %+v", i, g.Shadow, want[i])
		}
		if g.Joined != joined[key] {
			t.Errorf("shadow %s: joined = %v; want %v", key, g.Joined, joined[key])
			continue
		}
		if !g.Joined {
			if g.Owner != nil || g.Owned != nil {
				t.Errorf("shadow %s: not joined but holds %+v, %v", key, g.Owner, g.Owned)
			}
			continue
		}
		b.checkOwner(t, g)
	}

	stop := errors.New("stop")
	n := 0
	err := b.store.ImpactShadowsEach(b.ctx, q, func(ImpactShadow) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("a callback error: %v after %d calls; want it back unwrapped after 1", err, n)
	}
	q.Resource = "nowhere"
	if err := b.store.ImpactShadowsEach(b.ctx, q, func(ImpactShadow) error { n++; return nil }); err != nil || n != 1 {
		t.Errorf("a type without shadows: %v, %d calls", err, n-1)
	}
}

// impactShadows reads q's shadows, decoded.
func (b *bundle) impactShadows(t *testing.T, q ImpactShadowsQuery) []ImpactShadow {
	t.Helper()
	var got []ImpactShadow
	err := b.store.ImpactShadowsEach(b.ctx, q, func(s ImpactShadow) error {
		if err := s.Decode(); err != nil {
			return err
		}
		got = append(got, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// checkOwner compares a joined shadow's owner and owned shadows with
// UserByID and ShadowsOfUser's.
func (b *bundle) checkOwner(t *testing.T, g ImpactShadow) {
	t.Helper()
	var owner *User
	var owned []*Shadow
	err := b.store.RepositoryRead(b.ctx, func(r *RepositoryTx) (err error) {
		if owner, err = r.UserByID(g.Shadow.Owner); err != nil {
			return err
		}
		owned, err = r.ShadowsOfUser(g.Shadow.Owner)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	owner.CreatedAt, owner.UpdatedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(g.Owner, owner) {
		t.Errorf("shadow %s: owner = %+v; want %+v", g.Shadow.Key, g.Owner, owner)
	}
	for i := range owned {
		owned[i] = withoutTimes(owned[i])
	}
	if !reflect.DeepEqual(g.Owned, owned) {
		t.Errorf("shadow %s: owned = %s; want %s", g.Shadow.Key, describeShadows(g.Owned), describeShadows(owned))
	}
	for _, sh := range g.Owned {
		if sh.ID == g.Shadow.ID && sh != g.Shadow {
			t.Errorf("shadow %s: owned holds a copy of the shadow, not the shadow", g.Shadow.Key)
		}
	}
}

func withoutTimes(sh *Shadow) *Shadow {
	cp := *sh
	cp.SyncedAt, cp.CreatedAt, cp.UpdatedAt = time.Time{}, time.Time{}, time.Time{}
	return &cp
}

func describeShadows(shs []*Shadow) string {
	var parts []string
	for _, sh := range shs {
		parts = append(parts, describeShadow(sh))
	}
	return "[" + strings.Join(parts, "; ") + "]"
}
