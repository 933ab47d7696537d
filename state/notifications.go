package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The notification outbox. A run that ends in an outcome one of its
// task's notify blocks listens for gets a notification per block, added
// by the transaction that ends the run (finish, recovery, cancelling a
// queued run): a crash keeps both or neither. The blocks are read from
// the task's applied definition (notify[N].on), so what was applied is
// what is notified. A dispatcher claims due notifications for a while,
// delivers them and records each attempt.

// NotificationState is where a notification's delivery stands.
type NotificationState string

// The states of a notification.
const (
	NotificationPending   NotificationState = "pending"   // to deliver, now or at NextAttemptAt
	NotificationDelivered NotificationState = "delivered" // the receiver accepted it
	NotificationFailed    NotificationState = "failed"    // given up
)

// Notification is one notify block's notice of one run's outcome.
type Notification struct {
	ID      int64
	RunID   int64
	Task    string
	Block   int      // the index of the task's notify block
	Outcome RunState // the run's final state
	// Key identifies the notification for its receivers: the store's
	// lineage, the run and the block. A repeated delivery carries the
	// same key.
	Key           string
	State         NotificationState
	CreatedAt     time.Time
	NextAttemptAt time.Time
	FinishedAt    time.Time // delivered or given up; zero while pending
	Attempts      []NotificationAttempt
}

// NotificationAttempt is one try to deliver a notification.
type NotificationAttempt struct {
	At     time.Time `json:"at"`
	By     string    `json:"by,omitempty"`     // the dispatcher
	Status string    `json:"status,omitempty"` // the receiver's answer, e.g. "202 Accepted", "250 OK"
	Error  string    `json:"error,omitempty"`  // "" when delivered
}

const notificationColumns = `id, run_id, task, block, outcome, key, state, created_at, next_attempt_at,
    finished_at, attempts`

// sqlNotifyOutcome adds the notifications of one run that ended: one per
// notify block (notify[N].on in the applied spec) that lists its state.
const sqlNotifyOutcome = `INSERT INTO notifications (run_id, task, block, outcome, key, state, created_at, next_attempt_at)
SELECT ?, d.name, CAST(substr(k.key, 8, length(k.key) - 11) AS INTEGER), ?,
       coalesce((SELECT value FROM meta WHERE key = 'lineage'), '') || ':run-' || ? || ':' || substr(k.key, 1, length(k.key) - 3),
       'pending', ?, ?
FROM definitions d, json_each(d.spec) k
WHERE d.address = 'task.' || ? AND k.key GLOB 'notify[[][0-9]*[]].on'
  AND EXISTS (SELECT 1 FROM json_each(k.value) o WHERE o.value = ?)
ON CONFLICT DO NOTHING`

// sqlAppendAttempt is the attempts list with the JSON of one more.
const sqlAppendAttempt = `json_insert(attempts, '$[#]', json(?))`

// notifyOutcomes adds, for each run of runs that ended, the notifications
// its task's notify blocks ask for.
func (w *writeTx) notifyOutcomes(runs []Run) error {
	for _, r := range runs {
		if !r.State.Final() {
			continue
		}
		now := formatTime(w.now)
		_, err := w.exec(sqlNotifyOutcome, r.ID, string(r.State), r.ID, now, now, r.Task, string(r.State))
		if err != nil {
			return err
		}
	}
	return nil
}

// sqlClaimNotifications claims the due pending notifications.
const sqlClaimNotifications = `UPDATE notifications SET claimed_by = ?, claimed_until = ?
WHERE id IN (SELECT id FROM notifications
             WHERE state = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
             ORDER BY next_attempt_at, id LIMIT ?)
RETURNING ` + notificationColumns

// NotificationsDue claims up to limit pending notifications due at now
// for by, until now+lease: another dispatcher does not take them meanwhile.
// A dispatcher that dies holding them leaves them to the next one once the
// lease is over.
func (s *Store) NotificationsDue(ctx context.Context, by string, now time.Time, lease time.Duration, limit int) ([]Notification, error) {
	var out []Notification
	err := s.writeTx(ctx, func(w *writeTx) error {
		at := w.nowOr(now)
		rows, err := w.tx.QueryContext(w.ctx, sqlClaimNotifications, by, formatTime(at.Add(lease)), formatTime(at), formatTime(at), limit)
		if err != nil {
			return err
		}
		out, err = scanNotifications(rows)
		return err
	})
	if err != nil {
		return nil, s.fail("claim notifications", err, "")
	}
	return out, nil
}

// NotificationAttempted records an attempt to deliver notification id,
// which by claimed: delivered when a.Error is "", otherwise pending again
// from next, or failed when next is zero (given up).
func (s *Store) NotificationAttempted(ctx context.Context, id int64, by string, a NotificationAttempt, next time.Time) error {
	err := s.writeTx(ctx, func(w *writeTx) error {
		a.By = by
		entry, err := json.Marshal(a)
		if err != nil {
			return err
		}
		st, finished, nextAt := NotificationDelivered, formatTime(a.At), formatTime(a.At)
		switch {
		case a.Error == "":
		case next.IsZero():
			st = NotificationFailed
		default:
			st, finished, nextAt = NotificationPending, "", formatTime(next)
		}
		res, err := w.exec(`UPDATE notifications SET state = ?, next_attempt_at = ?, finished_at = nullif(?, ''),
    attempts = `+sqlAppendAttempt+`, claimed_by = '', claimed_until = NULL
WHERE id = ? AND state = 'pending' AND claimed_by = ?`, st, nextAt, finished, string(entry), id, by)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		return fmt.Errorf("notification %d is not pending under %s: another dispatcher took it over, or it was settled", id, by)
	})
	if err != nil {
		return s.fail("record a notification attempt", err, "")
	}
	return nil
}

// RunNotifications returns the notifications of run id, by block.
func (s *Store) RunNotifications(ctx context.Context, runID int64) ([]Notification, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE run_id = ? ORDER BY block`, runID)
	if err != nil {
		return nil, s.fail("read notifications", err, "")
	}
	out, err := scanNotifications(rows)
	if err != nil {
		return nil, s.fail("read notifications", err, "")
	}
	return out, nil
}

// NotificationsPending counts the notifications not delivered nor given
// up yet, and returns the earliest time one of them can be claimed: its
// next attempt, or the end of another dispatcher's claim.
func (s *Store) NotificationsPending(ctx context.Context) (int, time.Time, error) {
	var (
		n    int
		next sql.NullString
	)
	err := s.db.QueryRowContext(ctx, `SELECT count(*), min(CASE WHEN claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END) FROM notifications WHERE state = 'pending'`).Scan(&n, &next)
	if err != nil {
		return 0, time.Time{}, s.fail("read notifications", err, "")
	}
	var at time.Time
	if next.Valid {
		if at, err = parseTime(next.String); err != nil {
			return 0, time.Time{}, s.fail("read notifications", err, "")
		}
	}
	return n, at, nil
}

func scanNotifications(rows *sql.Rows) ([]Notification, error) {
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var (
			n                       Notification
			created, next, attempts string
			finished                sql.NullString
			outcome, state          string
		)
		if err := rows.Scan(&n.ID, &n.RunID, &n.Task, &n.Block, &outcome, &n.Key, &state, &created, &next, &finished, &attempts); err != nil {
			return nil, err
		}
		n.Outcome, n.State = RunState(outcome), NotificationState(state)
		var err error
		if n.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if n.NextAttemptAt, err = parseTime(next); err != nil {
			return nil, err
		}
		if finished.Valid {
			if n.FinishedAt, err = parseTime(finished.String); err != nil {
				return nil, err
			}
		}
		if err := json.Unmarshal([]byte(attempts), &n.Attempts); err != nil {
			return nil, errors.Join(fmt.Errorf("notification %d: unreadable attempts", n.ID), err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
