package state_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/syncline/syncline/internal/clock"

	"github.com/syncline/syncline/state"
)

// A run's life: the scheduler advances a task's schedule and queues the
// fire's run in one step; a worker claims it, heartbeats, and finishes it
// together with its retry.
func ExampleStore_RunClaim() {
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
	if _, err := store.Apply(ctx, state.ApplyRequest{Who: "alice", Upserts: []*state.Definition{
		{Kind: "task", Name: "hr-import", Hash: "9f1c…", SourceFile: "tasks.hcl", SourceLine: 1},
	}}); err != nil {
		log.Fatal(err)
	}

	// The scheduler fires 02:00 and moves the next fire time to 03:00.
	fire, next := now, now.Add(time.Hour)
	due := state.Run{Trigger: state.TriggerSchedule, TriggeredBy: fire.Format(time.RFC3339), ScheduledAt: fire, Exclusive: true}
	won, err := store.TaskAdvanceSchedule(ctx, "hr-import", time.Time{}, next, "every 1h", []state.Run{due})
	fmt.Println("fired:", won, err)
	// Another scheduler that saw the same fire time loses.
	won, err = store.TaskAdvanceSchedule(ctx, "hr-import", time.Time{}, next, "every 1h", []state.Run{due})
	fmt.Println("fired again:", won, err)

	run, err := store.RunClaim(ctx, "host:4242:1", now)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("claimed run %d of %s: %s\n", run.ID, run.Task, run.State)
	cancel, err := store.RunHeartbeat(ctx, run.ID, "host:4242:1", now.Add(10*time.Second))
	fmt.Println("cancel requested:", cancel, err)

	retry := state.Run{Task: "hr-import", Trigger: state.TriggerRetry, TriggeredBy: fmt.Sprintf("run %d", run.ID),
		RetryOf: run.ID, Attempt: 2, ScheduledAt: now.Add(time.Minute), Exclusive: true}
	err = store.RunFinish(ctx, run.ID, "host:4242:1", state.RunFailed, "exit status 1", nil, now.Add(time.Minute), []state.Run{retry})
	if err != nil {
		log.Fatal(err)
	}
	runs, err := store.RunList(ctx, state.RunFilter{Task: "hr-import"})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range runs {
		fmt.Printf("run %d: %s, %s, attempt %d, scheduled %s; error %q\n", r.ID, r.Trigger, r.State, r.Attempt,
			r.ScheduledAt.Format("15:04"), r.Error)
	}
	// Output:
	// fired: true <nil>
	// fired again: false <nil>
	// claimed run 1 of hr-import: running
	// cancel requested: false <nil>
	// run 2: retry, queued, attempt 2, scheduled 02:01; error ""
	// run 1: schedule, failed, attempt 1, scheduled 02:00; error "exit status 1"
}
