package state_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/syncline/syncline/internal/clock"

	"github.com/syncline/syncline/state"
)

// A synchronization pass stores each object as a user and the shadow of
// its account, a batch per transaction; the next pass correlates through
// the index and skips unchanged objects by their summaries.
func ExampleStore_RepositoryWrite() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "syncline-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	now := time.Date(2025, 3, 14, 2, 0, 0, 0, time.UTC)
	store, err := state.Open(ctx, filepath.Join(dir, "state.db"), state.Options{Clock: clock.NewFake(now)})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	// The mappings correlate on mail: index it.
	if err := store.UserIndexEnsure(ctx, []string{"mail"}); err != nil {
		log.Fatal(err)
	}

	err = store.RepositoryWrite(ctx, func(r *state.RepositoryTx) error {
		for _, name := range []string{"alice", "bob"} {
			u := &state.User{Name: name, Status: state.UserActive,
				Attributes: map[string]string{"mail": name + "@example.com"}}
			if err := r.InsertUser(u); err != nil {
				return err
			}
			sh := &state.Shadow{Resource: "hr", Kind: "account", Intent: "default", Identifier: name, Key: name,
				Attributes: map[string][]string{"mail": {name + "@example.com"}},
				Hash:       "h-" + name, MappingHash: "m1", Owner: u.ID, Situation: "linked", SyncedAt: r.Now()}
			if err := r.PutShadow(sh); err != nil {
				return err
			}
		}
		return nil
	})
	fmt.Println("first batch:", err)

	// A batch that fails is rolled back whole: carol is not stored either.
	err = store.RepositoryWrite(ctx, func(r *state.RepositoryTx) error {
		if err := r.InsertUser(&state.User{Name: "carol", Status: state.UserActive}); err != nil {
			return err
		}
		return r.InsertUser(&state.User{Name: "alice", Status: state.UserActive})
	})
	var exists *state.UserExistsError
	fmt.Println("second batch:", errors.As(err, &exists), exists)

	err = store.RepositoryWrite(ctx, func(r *state.RepositoryTx) error {
		ids, err := r.FindUsers(map[string]string{"mail": "bob@example.com"}, 2)
		fmt.Println("users with bob's mail:", len(ids))
		return err
	})
	if err != nil {
		log.Fatal(err)
	}

	err = store.ShadowSummaries(ctx, "hr", "account", "default", func(s state.ShadowSummary) error {
		fmt.Printf("%s: hash %s, %s\n", s.Key, s.Hash, s.Situation)
		return nil
	})
	counts, _ := store.RepositoryCounts(ctx)
	fmt.Println("users:", counts.Users, "hr shadows:", counts.Shadows["hr"], err)
	// Output:
	// first batch: <nil>
	// second batch: true a user named "alice" already exists
	// users with bob's mail: 1
	// alice: hash h-alice, linked
	// bob: hash h-bob, linked
	// users: 2 hr shadows: 2 <nil>
}
