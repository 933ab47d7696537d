// Package activity is what one step of a task is to the engine: the
// Activity interface (Run(ctx, *Context)), Func to adapt a function, and a
// Registry by activity type.
//
// A Context is what an activity sees of its run — the task, its settings,
// the configuration and its directory, the mode, the store, the clock —
// and the methods that record its progress: counts, item errors,
// statistics, output, stages, checkpoints and the child process group an
// activity has running (RecordProcessGroup). The runner makes one per
// activity with NewContext and receives what it records through the
// Progress interface, so this package does not import the runner.
//
// Synchronization adapts engine/synchronization's import, reconciliation,
// propagation and recompute to an Activity; Unavailable stands for a type
// this version does not implement yet.
//
// Neighbours: engine/runner runs activities and holds the default
// registry; engine/activity/exec is the exec activity;
// engine/synchronization does the synchronization work; state stores
// what a Context records.
package activity
