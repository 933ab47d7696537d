// Package ops holds the workflows the commands run, in the manner of
// Terraform's internal/backend/local: PlanAndApply (lock, plan, confirm,
// apply) and Sync (fetch a git branch into a mirror, plan its tip, apply
// it per the sync policy). Each
// takes its options as values and returns what it did as data
// (ApplyResult, SyncResult); nothing here prints. What a person should
// see while a workflow runs — diagnostics, the plan before it is applied,
// the question before an apply — goes through a Reporter the caller
// supplies, and cmd/syncline renders the results through internal/views.
//
// Neighbours: config loads the configuration, planner computes the plan,
// state stores it, internal/gitmirror keeps the git mirrors Sync reads.
package ops
