package state

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestRunChangesPaging(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "sync")
	run := b.enqueue(t, Run{Task: "sync"})
	change := func(i int) RunChange {
		return RunChange{Activity: "hr", Object: "account", Op: "create", User: fmt.Sprintf("u%d", i),
			Resource: "ldap", Kind: "account", Intent: "default", Identifier: fmt.Sprintf("uid=u%d", i),
			Attributes: []AttributeChange{{Name: "mail", After: []string{fmt.Sprintf("u%d@x", i)}}}}
	}
	var all []RunChange
	for batch := range 3 { // appended over several transactions
		var changes []RunChange
		for i := range 4 {
			changes = append(changes, change(batch*4+i))
		}
		b.repo(t, func(r *RepositoryTx) error { return r.AddRunChanges(run.ID, changes) })
		all = append(all, changes...)
	}
	tests := []struct {
		offset, limit int
		want          []RunChange
	}{
		{0, 0, all},
		{0, 5, all[:5]},
		{5, 5, all[5:10]},
		{10, 5, all[10:]},
		{12, 5, nil},
		{-3, 2, all[:2]},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("offset %d limit %d", tt.offset, tt.limit), func(t *testing.T) {
			got, total, err := b.store.RunChanges(b.ctx, run.ID, tt.offset, tt.limit)
			if err != nil || total != 12 || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("RunChanges = %+v, %d, %v; want %+v, 12", got, total, err, tt.want)
			}
		})
	}
	if err := b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error { return r.AddRunChanges(9999, all[:1]) }); err == nil {
		t.Error("changes of a run that does not exist were stored")
	}
}

func TestRepositoryCountsAndSnapshot(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.addUsers(t, newUser("alice", nil), newUser("bob", nil), &User{Name: "carol", Status: UserDisabled})
	dead := shadow("hr", "gone")
	dead.Dead = true
	ldapDead := shadow("ldap", "gone")
	ldapDead.Dead = true
	b.putShadows(t, shadow("hr", "a"), shadow("hr", "b"), dead, shadow("ldap", "a"), ldapDead)

	counts, err := b.store.RepositoryCounts(b.ctx)
	want := &RepositoryCounts{Users: 3, ActiveUsers: 2, Shadows: map[string]int{"hr": 2, "ldap": 1}}
	if err != nil || !reflect.DeepEqual(counts, want) {
		t.Errorf("RepositoryCounts = %+v, %v; want %+v", counts, err, want)
	}
	if snap := b.snapshot(t); !reflect.DeepEqual(snap.ShadowCounts, want.Shadows) {
		t.Errorf("Snapshot.ShadowCounts = %v; want %v", snap.ShadowCounts, want.Shadows)
	}
	onlyDead := shadow("ad", "x")
	onlyDead.Dead = true
	b.putShadows(t, onlyDead)
	if snap := b.snapshot(t); snap.ShadowCounts["ad"] != 0 || len(snap.ShadowCounts) != 2 {
		t.Errorf("a resource with only dead shadows is counted: %v", snap.ShadowCounts)
	}
}

// TestApplyLeavesShadowsAlone: removing a resource's definition keeps its
// shadows; what happens to them is the engine's decision.
func TestApplyLeavesShadowsAlone(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply(t, ApplyRequest{Upserts: []*Definition{def("resource", "hr", "1")}})
	b.putShadows(t, shadow("hr", "a"))
	req := b.request(t)
	req.Deletes = []string{"resource.hr"}
	b.apply(t, req)
	if snap := b.snapshot(t); snap.ShadowCounts["hr"] != 1 {
		t.Errorf("after removing resource.hr: shadow counts %v", snap.ShadowCounts)
	}
}

func TestRolledBackRepoLeavesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "sync")
	run := b.enqueue(t, Run{Task: "sync"})
	b.ensureIndex(t, "mail")
	before := b.dump(t)
	boom := errors.New("connector failed")
	err := b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
		u := newUser("alice", map[string]string{"mail": "a@x"})
		if err := r.InsertUser(u); err != nil {
			return err
		}
		sh := shadow("hr", "a")
		sh.Owner = u.ID
		if err := r.PutShadow(sh); err != nil {
			return err
		}
		if err := r.AddRunChanges(run.ID, []RunChange{{Object: "user", Op: "add", User: "alice"}}); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Repo = %v; want fn's error unchanged", err)
	}
	if after := b.dump(t); after != before {
		t.Errorf("a rolled back Repo left changes:\n%s", after)
	}
}

// TestRepoFailingAtAnyStatementChangesNothing fails a batch after each of
// its statements in turn.
func TestRepoFailingAtAnyStatementChangesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "sync")
	run := b.enqueue(t, Run{Task: "sync"})
	b.ensureIndex(t, "mail")
	ids := b.addUsers(t, newUser("old", map[string]string{"mail": "old@x"}), newUser("gone", map[string]string{"mail": "g@x"}))
	kept := b.putShadows(t, shadow("hr", "kept"))[0]
	failAtEveryStatement(t, b, func() error {
		return b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
			u := newUser("new", map[string]string{"mail": "n@x"})
			if err := r.InsertUser(u); err != nil {
				return err
			}
			if err := r.UpdateUser(&User{ID: ids[0], Name: "older", Status: UserDisabled, Attributes: map[string]string{"mail": "o@x"}}); err != nil {
				return err
			}
			if err := r.DeleteUser(ids[1]); err != nil {
				return err
			}
			sh := shadow("hr", "new")
			sh.Owner, sh.Pending = u.ID, []PendingOperation{{Op: OpCreate}}
			if err := r.PutShadow(sh); err != nil {
				return err
			}
			kept.Hash = "changed"
			if err := r.PutShadow(kept); err != nil {
				return err
			}
			if _, err := r.FindUsers(map[string]string{"mail": "n@x"}, 2); err != nil {
				return err
			}
			return r.AddRunChanges(run.ID, []RunChange{{Object: "user", Op: "add", User: "new"}})
		})
	})
}

func TestUsersWalk(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.addUsers(t, newUser("carol", nil), newUser("alice", nil), newUser("bob", nil))
	var names []string
	err := b.store.UsersEach(b.ctx, func(u *User) error {
		names = append(names, u.Name)
		return nil
	})
	if err != nil || strings.Join(names, ",") != "alice,bob,carol" {
		t.Errorf("Users = %v, %v; want by name", names, err)
	}
	stop := errors.New("stop")
	if err := b.store.UsersEach(b.ctx, func(*User) error { return stop }); err != stop {
		t.Errorf("a callback error came back as %v", err)
	}
	if u, err := b.store.UserGet(b.ctx, "nobody"); u != nil || err != nil {
		t.Errorf("User(nobody) = %+v, %v", u, err)
	}
}
