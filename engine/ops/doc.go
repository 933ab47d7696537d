// Package ops holds the workflows the commands run, in the manner of
// Terraform's internal/backend/local: PlanAndApply (lock, plan, confirm,
// apply), ApplyPlanFile (check a saved plan against the state and the
// configuration, in a fixed order, and apply the plan recomputed from
// them) and Sync (fetch a git branch into a mirror, plan its tip, apply
// it per the sync policy). The plan-file format lives here too: PlanFile,
// ReadPlanFile, WritePlanFile, authenticated with a MAC under the state's
// secret key. Each
// takes its options as values and returns what it did as data
// (ApplyResult, SyncResult); nothing here prints. What a person should
// see while a workflow runs — diagnostics, the plan before it is applied,
// the question before an apply — goes through a Reporter the caller
// supplies, and cmd/syncline renders the results through internal/views.
//
// Neighbours: config loads the configuration, planner computes the plan,
// state stores it, internal/gitmirror keeps the git mirrors Sync reads,
// internal/atomicfile writes plan files.
package ops
