package state

// The runtime side of an apply: what storing, moving and removing a task
// does to its task_runtime record and its runs.

// applyTaskRuntime keeps the tasks' runtime records in step with the
// definitions: a moved task takes its record and runs along, a stored
// task is active (reopened when it was closed), and a removed task is
// closed with its queued runs cancelled. These are not changes of their
// own: they never move the serial.
func (a *writeTx) applyTaskRuntime(req *ApplyRequest) error {
	for _, m := range req.Moves {
		if err := a.moveTaskRuntime(m, req.Who); err != nil {
			return err
		}
	}
	for _, d := range req.Upserts {
		if d.Kind != "task" {
			continue
		}
		if err := a.openTask(d.Name, req.Who); err != nil {
			return err
		}
	}
	for _, addr := range req.Deletes {
		if kind, name := splitAddress(addr); kind == "task" {
			if err := a.closeTask(name, req.Who); err != nil {
				return err
			}
		}
	}
	return nil
}

// closedReason is the Reason of a task closed by the apply that removed it.
const closedReason = "removed from the configuration"

// removedNote is the Note of a queued run cancelled because its task was
// removed.
const removedNote = "task removed"

// moveTaskRuntime renames a moved task's runtime record and its runs, so
// its state and history follow it. A closed record left at the new name
// by an earlier task of that name gives way; that task's runs stay under
// the name, so the history shows both.
func (a *writeTx) moveTaskRuntime(m Move, who string) error {
	kind, from := splitAddress(m.From)
	if kind != "task" {
		return nil
	}
	_, to := splitAddress(m.To)
	if _, err := a.exec(`DELETE FROM task_runtime WHERE task = ? AND state = 'closed'`, to); err != nil {
		return err
	}
	if _, err := a.exec(`UPDATE task_runtime SET task = ?, updated_at = ? WHERE task = ?`,
		to, formatTime(a.now), from); err != nil {
		return err
	}
	if _, err := a.exec(`UPDATE runs SET task = ? WHERE task = ?`, to, from); err != nil {
		return err
	}
	return a.openTask(to, who) // a no-op unless the record was missing
}

// openTask gives a stored task an active runtime record when it has
// none, and makes a closed one active again; a suspended or active task
// keeps its record. A reopened task forgets its next fire time, so the
// scheduler computes a fresh one instead of catching up on the time it
// was gone.
func (a *writeTx) openTask(name, who string) error {
	now := formatTime(a.now)
	_, err := a.exec(`INSERT INTO task_runtime (task, state, by_whom, since, updated_at)
VALUES (?, 'active', ?, ?, ?)
ON CONFLICT (task) DO UPDATE SET state = 'active', reason = '', by_whom = excluded.by_whom,
    since = excluded.since, next_fire_at = NULL, schedule_key = '', updated_at = excluded.updated_at
WHERE task_runtime.state = 'closed'`, name, who, now, now)
	return err
}

// closeTask closes a removed task and cancels its queued runs; running
// runs finish as they would.
func (a *writeTx) closeTask(name, who string) error {
	now := formatTime(a.now)
	_, err := a.exec(`UPDATE task_runtime SET state = 'closed', reason = ?, by_whom = ?, since = ?,
    next_fire_at = NULL, schedule_key = '', updated_at = ? WHERE task = ?`,
		closedReason, who, now, now, name)
	if err != nil {
		return err
	}
	_, err = a.exec(`UPDATE runs SET state = 'cancelled', note = ?, finished_at = ?
WHERE task = ? AND state = 'queued'`, removedNote, now, name)
	return err
}
