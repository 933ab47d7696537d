package state

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SyncToken is where a live synchronization stands: the token its
// resource gave for the changes taken so far.
type SyncToken struct {
	Task, Activity         string
	Resource, Kind, Intent string
	Token                  string
	RunID                  int64 // the run that moved it last
	Changes                int64 // changes taken since the token was first set
	UpdatedAt              time.Time
}

// PutSyncToken stores t's token in the repository transaction, with the
// changes it covers: taken counts the changes since the token before.
// The token of the task's activity is replaced, whatever resource it was
// for.
func (r *RepositoryTx) PutSyncToken(t SyncToken, taken int64) error {
	var run any
	if t.RunID != 0 {
		run = t.RunID
	}
	err := r.execText(`INSERT INTO sync_tokens (task, activity, resource, kind, intent, token, run_id, changes, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (task, activity) DO UPDATE SET resource = excluded.resource, kind = excluded.kind, intent = excluded.intent,
    token = excluded.token, run_id = excluded.run_id, updated_at = excluded.updated_at,
    changes = CASE WHEN sync_tokens.resource = excluded.resource AND sync_tokens.kind = excluded.kind
                    AND sync_tokens.intent = excluded.intent
                   THEN sync_tokens.changes + excluded.changes ELSE excluded.changes END`,
		t.Task, t.Activity, t.Resource, t.Kind, t.Intent, t.Token, run, taken, r.nowText)
	if err != nil {
		return r.fail(err)
	}
	return nil
}

// SyncToken returns the token of task's activity, or nil when it has none
// yet or it was taken for another resource or object type than asked.
func (s *Store) SyncToken(ctx context.Context, task, activity, resource, kind, intent string) (*SyncToken, error) {
	t := SyncToken{Task: task, Activity: activity}
	var (
		run     sql.NullInt64
		updated string
	)
	err := s.db.QueryRowContext(ctx, `SELECT resource, kind, intent, token, run_id, changes, updated_at
FROM sync_tokens WHERE task = ? AND activity = ?`, task, activity).
		Scan(&t.Resource, &t.Kind, &t.Intent, &t.Token, &run, &t.Changes, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.fail("read a sync token", err, "")
	}
	if t.Resource != resource || t.Kind != kind || t.Intent != intent {
		return nil, nil
	}
	t.RunID = run.Int64
	if t.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, s.fail("read a sync token", err, "")
	}
	return &t, nil
}

// SyncTokens returns the tokens of task's activities.
func (s *Store) SyncTokens(ctx context.Context, task string) ([]SyncToken, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT activity, resource, kind, intent, token, run_id, changes, updated_at
FROM sync_tokens WHERE task = ? ORDER BY activity`, task)
	if err != nil {
		return nil, s.fail("read sync tokens", err, "")
	}
	defer rows.Close()
	var out []SyncToken
	for rows.Next() {
		t := SyncToken{Task: task}
		var (
			run     sql.NullInt64
			updated string
		)
		if err := rows.Scan(&t.Activity, &t.Resource, &t.Kind, &t.Intent, &t.Token, &run, &t.Changes, &updated); err != nil {
			return nil, s.fail("read sync tokens", err, "")
		}
		t.RunID = run.Int64
		if t.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, s.fail("read sync tokens", err, "")
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("read sync tokens", err, "")
	}
	return out, nil
}

// ShadowByKey returns the shadow of the object key of the resource's
// object type, or nil when there is none: live synchronization finds the
// shadow of an object its resource reports deleted.
func (s *Store) ShadowByKey(ctx context.Context, resource, kind, intent, key string) (*Shadow, error) {
	shs, err := s.readShadows(ctx, `SELECT `+shadowColumns+` FROM shadows
WHERE resource = ? AND kind = ? AND intent = ? AND key = ?`, resource, kind, intent, key)
	if err != nil || len(shs) == 0 {
		return nil, err
	}
	return shs[0], nil
}
