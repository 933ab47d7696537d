package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// runColumns are the columns every query that reads runs returns, in the
// order scanRun expects them.
const runColumns = `id, task, "trigger", triggered_by, mode, revision, serial, state, priority,
    exclusive, attempt, coalesce(retry_of, 0), scheduled_at, created_at, started_at, finished_at,
    deadline, claimed_by, heartbeat_at, cancel_requested, error, note, activities, checkpoint`

// queryRuns runs a query whose rows are runs in runColumns order.
func queryRuns(ctx context.Context, q queryer, query string, args ...any) ([]Run, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, rows.Err()
}

// queryRun is queryRuns for at most one run; it returns nil when there
// is none.
func queryRun(ctx context.Context, q queryer, query string, args ...any) (*Run, error) {
	runs, err := queryRuns(ctx, q, query, args...)
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	return &runs[0], nil
}

func scanRun(rows *sql.Rows) (Run, error) {
	var (
		r          Run
		times      [6]sql.NullString
		activities string
		checkpoint sql.NullString
	)
	err := rows.Scan(&r.ID, &r.Task, &r.Trigger, &r.TriggeredBy, &r.Mode, &r.Revision, &r.Serial,
		&r.State, &r.Priority, &r.Exclusive, &r.Attempt, &r.RetryOf, &times[0], &times[1],
		&times[2], &times[3], &times[4], &r.ClaimedBy, &times[5], &r.CancelRequested,
		&r.Error, &r.Note, &activities, &checkpoint)
	if err != nil {
		return r, err
	}
	fields := []*time.Time{&r.ScheduledAt, &r.CreatedAt, &r.StartedAt, &r.FinishedAt, &r.Deadline, &r.HeartbeatAt}
	for i, f := range fields {
		if *f, err = parseNullTime(times[i]); err != nil {
			return r, fmt.Errorf("run %d: %w", r.ID, err)
		}
	}
	if err := json.Unmarshal([]byte(activities), &r.Activities); err != nil {
		return r, fmt.Errorf("run %d: activities: %w", r.ID, err)
	}
	if len(r.Activities) == 0 {
		r.Activities = nil
	}
	if checkpoint.Valid {
		r.Checkpoint = json.RawMessage(checkpoint.String)
	}
	return r, nil
}

// encodeActivities renders activities for the activities column, keeping
// at most MaxItemErrors item errors of each. The caller's slice is not
// changed.
func encodeActivities(activities []ActivityResult) (string, error) {
	kept := make([]ActivityResult, len(activities))
	for i, a := range activities {
		if len(a.Errors) > MaxItemErrors {
			a.Errors = a.Errors[:MaxItemErrors:MaxItemErrors]
		}
		kept[i] = a
	}
	data, err := json.Marshal(kept)
	return string(data), err
}

// encodeCheckpoint renders a checkpoint for the checkpoint column: NULL
// for none (nil or JSON null).
func encodeCheckpoint(cp json.RawMessage) (any, error) {
	if len(cp) == 0 || string(cp) == "null" {
		return nil, nil
	}
	if !json.Valid(cp) {
		return nil, invalidRun("the checkpoint is not valid JSON")
	}
	return string(cp), nil
}
