// Package scheduler decides when tasks fire and records what it decided.
//
// Its core is pure, in the manner of Nomad's scheduler: Decide takes the
// time and each task's status (TaskStatus: its runtime record, its
// configuration, whether the catalog may run it, its active runs) and
// returns Decisions as data — compute a next fire time, or fire: the due
// fire times through the schedule's misfire policy (skip, run_once,
// run_all capped by max_catch_up) and the task's concurrency policy
// (forbid, replace, allow) into queued and skipped runs. It reads no
// clock and writes nothing.
//
// Scheduler (New, Tick) is the loop that performs them: it keeps the due
// times in a heap, reads a due task again and carries its decision out
// through state.Store.TaskAdvanceSchedule, a compare-and-set, so each fire
// time fires once across processes.
//
// Order is pure too: the enabled tasks in the order syncline up runs them
// one after another, each after every task its after names.
//
// Neighbours: engine/catalog says which tasks may run; state stores the
// runtime records and the runs; engine/runner executes the runs queued
// here (and uses DescribeRuns and ActiveVerb for the notes of the runs
// its after triggers record); engine.Server ticks a Scheduler.
package scheduler
