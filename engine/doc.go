// Package engine is where side effects live: it runs the tasks that apply
// stored, on schedule, by hand and after other tasks, and records every run
// in the state store.
//
// The root holds Server: syncline serve — a scheduler loop, a worker pool
// that claims runs, and a poll loop that reloads the catalog after an
// apply and recovers runs whose worker died; Stop lets runs finish within
// a grace period and interrupts the rest with a recovery run queued. It
// has River's service shape: ServerConfig with defaults and validation,
// NewServer, Start, Stop, and test signals tests wait on. The server reads
// the configuration applied as each snapshot through a ConfigSource: a
// plain directory (DirSource, the default) or, under serve -sync, the
// checkout of the applied commit (engine/gitsync.Syncer).
//
// The work lives in subpackages, each below the Server:
//
//   - engine/catalog: the configuration checked against the applied
//     definitions (catalog.Load); what runs is what was applied.
//   - engine/scheduler: Decide, the pure core that returns decisions as
//     data, and the Scheduler whose Tick performs them through the store.
//   - engine/runner: executes a claimed run — activities in order,
//     heartbeats, cancel requests, timeouts, progress, checkpoints — and
//     finishes it with its follow-ups (retry, after, recovery); also
//     EnqueueManual, RunForeground and RecoverDeadRuns for syncline run.
//   - engine/activity: the Activity interface and the Context a run gives
//     each activity; engine/activity/exec runs a command.
//   - engine/synchronization: the product's main work — import,
//     reconciliation, propagation, recompute.
//   - engine/connector: how resources are reached; engine/webhook: the
//     push-webhook handler of serve -listen.
//   - engine/gitsync: the syncer of serve -sync (poll loop, trigger
//     coalescing, the webhook's HTTP server), a service of its own.
//   - engine/ops: the workflows the commands run (PlanAndApply,
//     ApplyPlanFile, Sync).
//
// Every time the engine reads or waits for goes through one clock.Clock
// (internal/clock), the same one the state store is opened with.
//
// Neighbours: config decodes the configuration and planner computes its
// canonical definitions; state holds the definitions, the task runtime
// records and the runs, and is the only package that talks SQL. The
// command line (cmd/syncline) wires run, tasks, runs and serve to these
// packages. docs/tasks.md describes tasks and runs for users;
// docs/architecture.md shows the layout.
package engine
