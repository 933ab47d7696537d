// Package procgroup identifies, checks and kills the child process groups
// the exec activity starts, so that a command left running by a crashed
// process never overlaps the run that recovers it.
//
// What exists:
//
//   - Group: a process group as recorded with a run — its ID, host and
//     its leader's start time, which tells it from a later group that
//     reuses the ID.
//   - Of: the Group a just-started child leads.
//   - Alive: whether any process of the group is still running (zombies,
//     which a container's init may never reap, do not count).
//   - Kill: SIGKILL to the whole group, waiting until it is gone.
//
// On Linux it reads /proc; on other Unix systems it asks with signal 0 and
// cannot tell a reused ID; elsewhere a group is never found alive.
//
// Neighbours: engine/activity/exec records the group through
// activity.Context.RecordProcessGroup; engine/runner stores it in the
// run's checkpoint and kills it before a recovery run starts. The package
// imports nothing of the project.
package procgroup
