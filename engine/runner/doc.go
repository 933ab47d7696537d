// Package runner executes runs. A Runner takes a run a worker claimed and
// carries it to its end: the task's activities in order (skipping those
// the interrupted run it recovers already finished), heartbeats, cancel
// requests, the task's timeout, throttled progress and checkpoints (with
// the child process group an activity has running, which a recovery run
// kills before it starts if the group outlived its run); it
// then finishes the run with its follow-ups — a retry with exponential
// backoff, the runs of the tasks whose after it completes, a recovery run
// for an interrupted one — in one store transaction.
//
// Around it: EnqueueManual queues a run started by hand (syncline run)
// under the task's concurrency policy, RunForeground claims and executes
// it in this process, Recover and RecoverDeadRuns end the runs whose
// worker is gone and requeue them, and DefaultActivities is the activity
// registry a Runner uses unless told otherwise.
//
// Neighbours: engine/catalog says whether a task may run; engine/activity
// is the interface each activity implements (the runner implements its
// Progress), with engine/activity/exec and engine/synchronization behind
// it; engine/scheduler queues the scheduled runs and lends the words for
// run notes; state claims, heartbeats and finishes runs; engine.Server
// runs a Runner per claimed run.
package runner
