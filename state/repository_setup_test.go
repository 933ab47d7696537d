package state

import (
	"testing"
)

// repo runs fn in a Repo transaction and fails the test on error.
func (b *bundle) repo(t *testing.T, fn func(*RepositoryTx) error) {
	t.Helper()
	if err := b.store.RepositoryWrite(b.ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// addUsers inserts users and returns their IDs, in order.
func (b *bundle) addUsers(t *testing.T, users ...*User) []int64 {
	t.Helper()
	ids := make([]int64, len(users))
	b.repo(t, func(r *RepositoryTx) error {
		for i, u := range users {
			if err := r.InsertUser(u); err != nil {
				return err
			}
			ids[i] = u.ID
		}
		return nil
	})
	return ids
}

// putShadows stores shadows and returns them (with IDs set).
func (b *bundle) putShadows(t *testing.T, shadows ...*Shadow) []*Shadow {
	t.Helper()
	b.repo(t, func(r *RepositoryTx) error {
		for _, sh := range shadows {
			if err := r.PutShadow(sh); err != nil {
				return err
			}
		}
		return nil
	})
	return shadows
}

func (b *bundle) ensureIndex(t *testing.T, names ...string) {
	t.Helper()
	if err := b.store.UserIndexEnsure(b.ctx, names); err != nil {
		t.Fatal(err)
	}
}

// findUsers runs FindUsers in its own transaction.
func (b *bundle) findUsers(t *testing.T, match map[string]string, limit int) []int64 {
	t.Helper()
	var ids []int64
	b.repo(t, func(r *RepositoryTx) (err error) {
		ids, err = r.FindUsers(match, limit)
		return err
	})
	return ids
}

func newUser(name string, attrs map[string]string) *User {
	return &User{Name: name, Status: UserActive, Attributes: attrs}
}

func shadow(resource, key string) *Shadow {
	return &Shadow{Resource: resource, Kind: "account", Intent: "default", Identifier: key, Key: key,
		Attributes: map[string][]string{"uid": {key}}, Hash: "h-" + key, MappingHash: "m1", Situation: "linked"}
}
