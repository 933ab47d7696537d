// Package engine is where side effects live: it runs the tasks that apply
// stored, on schedule, by hand and after other tasks, and records every run
// in the state store.
//
// What exists:
//
//   - Catalog: the configuration loaded from a directory and checked
//     against the applied definitions. A task runs only when its canonical
//     definition, its named schedule's and its resources' hash the same as
//     what apply stored — what runs is what was applied.
//   - Decide, the scheduler's pure core: from the time, each task's runtime
//     record and its active runs, it returns decisions as data — compute a
//     next fire time, or fire: the due fire times through the schedule's
//     misfire policy (skip, run_once, run_all capped by max_catch_up) and
//     the task's concurrency policy (forbid, replace, allow) into queued
//     and skipped runs. Scheduler.Tick carries them out through the store
//     with a compare-and-set, so each fire time fires once across
//     processes.
//   - runner.Runner: executes a claimed run — the task's activities in order, with
//     heartbeats, cancel requests, the task's timeout, throttled progress,
//     checkpoints — and finishes it with its follow-ups (retry with
//     exponential backoff; the tasks whose after it completes) in one
//     store transaction.
//   - Activity and activity.Registry: one implementation per activity type. exec
//     (ExecActivity) runs a command; the other types fail with "not
//     available in this version yet" until their issues land.
//   - Server: syncline serve — a scheduler loop, a worker pool that claims
//     runs, and a poll loop that reloads the configuration after an apply
//     and recovers runs whose worker died; Stop lets runs finish within a
//     grace period and interrupts the rest with a recovery run queued.
//   - runner.EnqueueManual and runner.RunForeground: syncline run.
//   - Clock, with RealClock and FakeClock: every time the engine reads or
//     waits for goes through one, so tests move time instead of sleeping.
//
// Neighbours: config decodes the configuration and planner computes its
// canonical definitions; state holds the definitions, the task runtime
// records and the runs, and is the only package that talks SQL; the
// connectors that reach resources live in engine/connector. The command
// line (cmd/syncline) wires run, tasks, runs and serve to this package.
// docs/tasks.md describes tasks and runs for users.
package engine
