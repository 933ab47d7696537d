// Package ops holds the workflows the commands run, in the manner of
// Terraform's internal/backend/local:
//
//   - PlanAndApply: lock, plan, confirm, apply (apply, sync, up);
//   - ApplyPlanFile: check a saved plan against the state and the
//     configuration, in a fixed order, and apply the plan recomputed from
//     them;
//   - Sync: fetch a git branch into a mirror, plan its tip, apply it per
//     the sync policy;
//   - PlanAgainst: the read-only plan of plan and watch; Diff: one git
//     revision against another, with no state and no secrets;
//   - RunTask and Execute: syncline run; UpRound: a round of syncline up,
//     with TaskFingerprints and WatchedFiles for up -watch;
//   - TestResource: resources test.
//
// The plan-file format lives here too: PlanFile, ReadPlanFile,
// WritePlanFile, authenticated with a MAC under the state's secret key.
// Each workflow takes its options as values and returns what it did as
// data (ApplyResult, SyncResult, UpResult, DiffResult, the run as it
// ended); nothing here prints. What a person should see while a workflow
// runs — diagnostics, the plan before it is applied, the question before
// an apply, a run's progress — goes through a Reporter, RunObserver or
// UpObserver the caller supplies, and cmd/syncline renders the results
// through internal/views.
//
// Neighbours: config loads the configuration, planner computes the plan,
// state stores it, engine/runner executes runs, internal/gitmirror keeps
// the git mirrors Sync reads, internal/atomicfile writes plan files.
package ops
