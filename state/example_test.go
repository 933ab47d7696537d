package state_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/syncline/syncline/internal/clock"

	"github.com/syncline/syncline/state"
)

// A store is opened, given a lineage, and then changed only through
// Apply, against the lineage and serial of the snapshot a plan was made
// from.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "syncline-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	clk := clock.NewFake(time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC))

	store, err := state.Open(ctx, "sqlite://"+filepath.Join(dir, ".syncline", "state.db"), state.Options{Clock: clk})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	if _, created, err := store.Init(ctx); err != nil {
		log.Fatal(err)
	} else {
		fmt.Println("new lineage:", created)
	}

	before, err := store.Snapshot(ctx)
	if err != nil {
		log.Fatal(err)
	}
	res, err := store.Apply(ctx, state.ApplyRequest{
		Lineage: before.Lineage,
		Serial:  before.Serial,
		Upserts: []*state.Definition{{
			Kind: "schedule", Name: "nightly",
			Spec:       map[string]string{"cron": `"0 2 * * *"`, "timezone": `"Europe/Prague"`},
			Hash:       "5d2a…", // the planner's SHA-256 of the canonical spec
			SourceFile: "schedules.hcl", SourceLine: 1,
		}},
		Who:      "alice",
		Revision: "3f2c1e0",
		Changes:  json.RawMessage(`{"create":["schedule.nightly"]}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("changed: %v, serial %d -> %d\n", res.Changed, before.Serial, res.Serial)

	after, err := store.Snapshot(ctx)
	if err != nil {
		log.Fatal(err)
	}
	d := after.Definitions["schedule.nightly"]
	fmt.Printf("%s: cron %s at %s:%d, revision %s\n", d.Address(), d.Spec["cron"], d.SourceFile, d.SourceLine, d.Revision)

	// The same plan again is refused: the state moved on.
	_, err = store.Apply(ctx, state.ApplyRequest{Lineage: before.Lineage, Serial: before.Serial})
	var stale *state.StaleError
	fmt.Println("stale:", errors.As(err, &stale))

	history, err := store.ApplyHistory(ctx, 10)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range history {
		fmt.Printf("serial %d by %s at %s: %s\n", r.Serial, r.Who, r.At.Format(time.RFC3339), r.Changes)
	}
	// Output:
	// new lineage: true
	// changed: true, serial 0 -> 1
	// schedule.nightly: cron "0 2 * * *" at schedules.hcl:1, revision 3f2c1e0
	// stale: true
	// serial 1 by alice at 2025-03-14T09:30:00Z: {"create":["schedule.nightly"]}
}

// Lock guards a plan-and-apply cycle; a second Lock waits, then names the
// holder.
func ExampleStore_LockAcquire() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "syncline-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := state.Open(ctx, filepath.Join(dir, "state.db"), state.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	lock, err := store.LockAcquire(ctx, "apply", 0)
	if err != nil {
		log.Fatal(err)
	}
	_, err = store.LockAcquire(ctx, "apply", 200*time.Millisecond)
	var locked *state.LockedError
	if errors.As(err, &locked) {
		fmt.Println("held by this process:", locked.Holder.ID == lock.ID && locked.Holder.PID == os.Getpid())
	}
	if err := store.LockRelease(ctx, lock.ID); err != nil {
		log.Fatal(err)
	}
	current, err := store.LockHolder(ctx)
	fmt.Println("free:", current == nil, err)
	// Output:
	// held by this process: true
	// free: true <nil>
}
