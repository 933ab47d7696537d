package state

import (
	"slices"
	"testing"
)

// ShadowKeys streams the keys of one object type, dead shadows' too, and
// the largest shadow ID when it began; LastShadowID counts the shadows a
// transaction holds back.
func TestShadowKeysAndLastShadowID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	dead := shadow("hr", "k2")
	dead.Dead = true
	put := []*Shadow{shadow("hr", "k1"), dead, shadow("ldap", "k3")}
	b.repo(t, func(r *RepositoryTx) error {
		for _, sh := range put {
			if err := r.PutShadow(sh); err != nil {
				return err
			}
		}
		return nil
	})
	var keys []string
	last, err := b.store.ShadowKeys(b.ctx, "hr", "account", "default", func(key string) error {
		keys = append(keys, key)
		return nil
	})
	slices.Sort(keys)
	if err != nil || last != put[2].ID || !slices.Equal(keys, []string{"k1", "k2"}) {
		t.Errorf("ShadowKeys = %v, last ID %d, %v; want [k1 k2], %d", keys, last, err, put[2].ID)
	}
	b.repo(t, func(r *RepositoryTx) error {
		held := shadow("hr", "k4")
		if err := r.PutShadow(held); err != nil {
			return err
		}
		id, err := r.LastShadowID()
		if err == nil && id != held.ID {
			t.Errorf("LastShadowID = %d with a new shadow held back, want its ID %d", id, held.ID)
		}
		return err
	})
}
