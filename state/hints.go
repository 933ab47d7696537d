package state

import (
	"errors"
	"fmt"
)

// hintFor says what the user can do about err, a whole sentence, or ""
// when there is nothing to add.
func hintFor(err error) string {
	var (
		notStore *NotStoreError
		version  *SchemaVersionError
		location *UnsupportedLocationError
		lineage  *LineageMismatchError
		stale    *StaleError
		locked   *LockedError
		unknown  *UnknownLockError
		conflict *ConflictError
	)
	switch {
	case errors.As(err, &notStore):
		return "Syncline leaves files that are not its stores alone: set the state location to another path, or move this file away."
	case errors.As(err, &version):
		return versionHint(version)
	case errors.As(err, &location):
		return `Use a file path, "sqlite://PATH" or "postgres://USER@HOST/DATABASE" for the state location.`
	case errors.As(err, &lineage):
		return "The plan belongs to another state. Run plan again against this state."
	case errors.As(err, &stale):
		return "Someone applied since the plan was made. Run plan again and review the new plan."
	case errors.As(err, &locked):
		return lockedHint(locked)
	case errors.As(err, &unknown):
		return "Check the lock ID: it is printed in the error that reported the lock."
	case errors.As(err, &conflict):
		return "The plan no longer fits the stored definitions. Run plan again."
	}
	return runtimeHint(err)
}

// runtimeHint is hintFor for the errors of tasks and runs.
func runtimeHint(err error) string {
	var (
		task   *UnknownTaskError
		taskSt *TaskStateError
		run    *UnknownRunError
		runSt  *RunStateError
	)
	switch {
	case errors.As(err, &task):
		return "A task exists once an apply has stored it. Check the name with: syncline tasks"
	case errors.As(err, &taskSt):
		return taskStateHint(taskSt)
	case errors.As(err, &run):
		return "Check the run ID with: syncline runs"
	case errors.As(err, &runSt) && runSt.BlockedBy != 0:
		return fmt.Sprintf("Wait for run %d to finish, or cancel it with: syncline runs cancel %d", runSt.BlockedBy, runSt.BlockedBy)
	}
	return ""
}

func versionHint(e *SchemaVersionError) string {
	if e.StoreVersion > e.KnownVersion {
		return "A newer syncline wrote this store. Upgrade syncline; the store was not changed."
	}
	return "Run a command that writes the state (such as apply) once to upgrade it."
}

func lockedHint(e *LockedError) string {
	if e.HolderGone {
		return fmt.Sprintf("The process that took the lock no longer runs. Release the lock with: syncline state unlock %s", e.Holder.ID)
	}
	return fmt.Sprintf("Wait for it to finish. If you are sure no syncline process holds it, release it with: syncline state unlock %s", e.Holder.ID)
}

func taskStateHint(e *TaskStateError) string {
	switch {
	case e.State == TaskClosed:
		return "The task was removed from the configuration. Add it back and apply to use it again."
	case e.State == TaskSuspended && e.Want == TaskActive && e.Action != "suspend":
		return fmt.Sprintf("Resume it first with: syncline tasks resume %s", e.Task)
	}
	return ""
}
