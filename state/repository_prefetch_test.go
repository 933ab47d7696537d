package state

import (
	"fmt"
	"strings"
	"testing"
)

// TestPrefetchAnswersAsTheTables runs the same reads and writes in a
// transaction that prefetched and in one that did not: every read must
// give the same answer, writes of the transaction included.
func TestPrefetchAnswersAsTheTables(t *testing.T) {
	t.Parallel()
	keys := []string{"a1", "b1", "c1", "nobody"}
	type step func(r *RepositoryTx, ids []int64, log *strings.Builder) error
	read := func(r *RepositoryTx, ids []int64, log *strings.Builder) error {
		for _, k := range keys {
			sh, err := r.ShadowByKey("hr", "account", "default", k)
			if err != nil {
				return err
			}
			fmt.Fprintf(log, "key %s: %s\n", k, describeShadow(sh))
		}
		for _, id := range ids {
			u, err := r.UserByID(id)
			if err != nil {
				return err
			}
			if u == nil {
				fmt.Fprintf(log, "user %d: none\n", id)
			} else {
				fmt.Fprintf(log, "user %d: %s %v\n", id, u.Name, u.Attributes)
			}
			mine, err := r.ShadowsOfUser(id)
			if err != nil {
				return err
			}
			for _, sh := range mine {
				fmt.Fprintf(log, "  owns %s\n", describeShadow(sh))
			}
		}
		return nil
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"reads only", []step{read, read}},
		{"a changed copy changes nothing", []step{func(r *RepositoryTx, ids []int64, log *strings.Builder) error {
			sh, err := r.ShadowByKey("hr", "account", "default", "a1")
			if err != nil {
				return err
			}
			sh.Attributes["uid"][0], sh.Owner = "changed", 0
			u, err := r.UserByID(ids[0])
			if err != nil {
				return err
			}
			u.Attributes["mail"] = "changed"
			return nil
		}, read}},
		{"update a shadow and move it to another owner", []step{read, func(r *RepositoryTx, ids []int64, _ *strings.Builder) error {
			sh, err := r.ShadowByKey("hr", "account", "default", "a1")
			if err != nil {
				return err
			}
			sh.Attributes = map[string][]string{"uid": {"a1"}, "mail": {"new@example.com"}}
			sh.Owner = ids[1]
			return r.PutShadow(sh)
		}, read}},
		{"a new shadow under a key read as absent", []step{read, func(r *RepositoryTx, ids []int64, _ *strings.Builder) error {
			sh := shadow("hr", "nobody")
			sh.Owner = ids[0]
			return r.PutShadow(sh)
		}, read}},
		{"delete a shadow", []step{read, func(r *RepositoryTx, ids []int64, _ *strings.Builder) error {
			sh, err := r.ShadowByKey("hr", "account", "default", "b1")
			if err != nil {
				return err
			}
			return r.DeleteShadow(sh.ID)
		}, read}},
		{"rename a shadow", []step{read, func(r *RepositoryTx, ids []int64, _ *strings.Builder) error {
			sh, err := r.ShadowByKey("hr", "account", "default", "c1")
			if err != nil {
				return err
			}
			sh.Key, sh.Identifier = "c2", "c2"
			return r.PutShadow(sh)
		}, read}},
		{"update and delete users", []step{read, func(r *RepositoryTx, ids []int64, _ *strings.Builder) error {
			u, err := r.UserByID(ids[0])
			if err != nil {
				return err
			}
			u.Attributes["mail"] = "alice@new.example"
			return r.UpdateUser(u)
		}, read, func(r *RepositoryTx, ids []int64, _ *strings.Builder) error {
			return r.DeleteUser(ids[1])
		}, read}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs [2]string
			for i, prefetch := range []bool{false, true} {
				b := setup(t)
				ids := b.addUsers(t, newUser("alice", map[string]string{"mail": "alice@example.com"}),
					newUser("bob", map[string]string{"mail": "bob@example.com"}))
				a1, b1, c1, x1 := shadow("hr", "a1"), shadow("hr", "b1"), shadow("hr", "c1"), shadow("ldap", "a1")
				a1.Owner, b1.Owner, x1.Owner = ids[0], ids[1], ids[0]
				b.putShadows(t, a1, b1, c1, x1)
				var log strings.Builder
				b.repo(t, func(r *RepositoryTx) error {
					if prefetch {
						if err := r.Prefetch("hr", "account", "default", keys); err != nil {
							return err
						}
					}
					for _, s := range tc.steps {
						if err := s(r, ids, &log); err != nil {
							return err
						}
					}
					return nil
				})
				logs[i] = log.String()
			}
			if logs[0] != logs[1] {
				t.Errorf("with Prefetch:\n%s\nwithout:\n%s", logs[1], logs[0])
			}
		})
	}
}

func TestPrefetchRefusesTooManyKeys(t *testing.T) {
	t.Parallel()
	b := setup(t)
	err := b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
		return r.Prefetch("hr", "account", "default", make([]string, MaxPrefetch+1))
	})
	if err == nil || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("Prefetch of %d keys: %v, want a refusal", MaxPrefetch+1, err)
	}
}

func describeShadow(sh *Shadow) string {
	if sh == nil {
		return "none"
	}
	return fmt.Sprintf("%d %s/%s owner %d %v", sh.ID, sh.Resource, sh.Key, sh.Owner, sh.Attributes)
}
