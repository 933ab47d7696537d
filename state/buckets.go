package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// BucketState is where one bucket of a bucketed activity stands.
type BucketState string

// Bucket states. A bucket is created open; a claim makes it claimed
// (BucketClaim, BucketClaimAny); its claimer moves it to done or failed
// (BucketFinish), or back to open when it stops before the end
// (BucketRelease). A claimed bucket whose lease ran out is claimable
// again, as an open one is: its claimer is taken to be dead.
const (
	BucketOpen    BucketState = "open"
	BucketClaimed BucketState = "claimed"
	BucketDone    BucketState = "done"
	BucketFailed  BucketState = "failed"
)

// Bucket is one bucket of a bucketed activity: its place in the set, who
// holds it, and what it counted once done. Task, Mode and Serial are the
// run's that executes the activity now (RunID).
type Bucket struct {
	RootRun    int64 // the run that split the activity
	Activity   string
	Index      int // 0 .. Count-1
	Count      int
	RunID      int64
	State      BucketState
	ClaimedBy  string
	LeaseUntil time.Time
	Attempts   int
	Result     BucketResult
	Error      string

	Task   string
	Mode   string
	Serial int64
}

// BucketResult is what one bucket's pass counted; the run's activity
// result is their sum.
type BucketResult struct {
	Total      int64            `json:"total"`
	Success    int64            `json:"success"`
	Failure    int64            `json:"failure"`
	Skipped    int64            `json:"skipped"`
	Statistics map[string]int64 `json:"statistics,omitempty"`
	Errors     []ItemError      `json:"errors,omitempty"` // at most MaxItemErrors kept
}

// BucketLostError says a bucket is no longer the claimer's: its lease ran
// out and another claimer took it (or the set was dropped). What the
// claimer counted is not kept; the new claimer redoes the bucket.
type BucketLostError struct {
	RootRun  int64
	Activity string
	Index    int
	Claimer  string
}

func (e *BucketLostError) Error() string {
	return fmt.Sprintf("bucket %d of activity %q of run %d is no longer held by %s: its lease ran out and it is claimed again",
		e.Index, e.Activity, e.RootRun, e.Claimer)
}

const bucketColumns = `b.root_run, b.activity, b.bucket, b.buckets, b.run_id, b.state, b.claimed_by, b.lease_until,
    b.attempts, b.result, b.error, r.task, r.mode, r.serial`

// bucketClaimable is the condition on a bucket b of a run's set that lets
// a claimer take it: open, or claimed with a lapsed lease; and no bucket
// of its set failed.
const bucketClaimable = `(b.state = 'open' OR (b.state = 'claimed' AND b.lease_until < ?))
    AND NOT EXISTS (SELECT 1 FROM run_buckets f WHERE f.root_run = b.root_run AND f.activity = b.activity AND f.state = 'failed')`

// sqlClaimBucket claims the first claimable bucket of one set.
const sqlClaimBucket = `UPDATE run_buckets SET state = 'claimed', claimed_by = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
WHERE (root_run, activity, bucket) = (SELECT b.root_run, b.activity, b.bucket FROM run_buckets b
    WHERE b.root_run = ? AND b.activity = ? AND ` + bucketClaimable + `
    ORDER BY b.bucket
    LIMIT 1)
RETURNING root_run, activity, bucket`

// sqlClaimAnyBucket claims the first claimable bucket of any set whose
// run is running under definitions of serial.
const sqlClaimAnyBucket = `UPDATE run_buckets SET state = 'claimed', claimed_by = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
WHERE (root_run, activity, bucket) = (SELECT b.root_run, b.activity, b.bucket FROM run_buckets b JOIN runs r ON r.id = b.run_id
    WHERE r.state = 'running' AND r.serial = ? AND ` + bucketClaimable + `
    ORDER BY b.run_id, b.bucket
    LIMIT 1)
RETURNING root_run, activity, bucket`

// BucketsStart returns the root run of the buckets of run runID's
// activity, split into count buckets: the set the run already has; for a
// recovery run, the set of the run it recovers, which it adopts (the
// buckets that run's own passes held are opened again at once; done ones
// stay done); otherwise a new set of open buckets with runID as its root.
func (s *Store) BucketsStart(ctx context.Context, runID int64, activity string, count int) (int64, error) {
	if count < 1 {
		return 0, s.fail("start buckets", invalidRun("a bucketed activity needs at least one bucket, not %d", count), "")
	}
	var root int64
	err := s.writeTx(ctx, func(w *writeTx) error {
		var err error
		root, err = w.startBuckets(runID, activity, count)
		return err
	})
	if err != nil {
		return 0, s.fail("start buckets", err, "")
	}
	return root, nil
}

func (w *writeTx) startBuckets(runID int64, activity string, count int) (int64, error) {
	if root, n, err := w.bucketSet(runID, activity); err != nil || n == count {
		return root, err
	}
	run, err := w.readRun(runID)
	if err != nil {
		return 0, err
	}
	now := formatTime(w.now)
	if run.Trigger == TriggerRecovery && run.RetryOf != 0 {
		root, n, err := w.bucketSet(run.RetryOf, activity)
		if err != nil {
			return 0, err
		}
		if n == count {
			_, err := w.exec(`UPDATE run_buckets SET run_id = ?, updated_at = ?,
    state = CASE WHEN state = 'claimed' AND claimed_by = ? THEN 'open' ELSE state END,
    claimed_by = CASE WHEN state = 'claimed' AND claimed_by = ? THEN '' ELSE claimed_by END
WHERE root_run = ? AND activity = ?`, runID, now, RunClaimer(run.RetryOf), RunClaimer(run.RetryOf), root, activity)
			return root, err
		}
	}
	if _, err := w.exec(`DELETE FROM run_buckets WHERE root_run = ? AND activity = ?`, runID, activity); err != nil {
		return 0, err
	}
	for i := range count {
		if _, err := w.exec(`INSERT INTO run_buckets (root_run, activity, bucket, buckets, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			runID, activity, i, count, runID, now); err != nil {
			return 0, err
		}
	}
	return runID, nil
}

// bucketSet returns the root and bucket count of the set run runID
// executes for activity; 0, 0 when it has none.
func (w *writeTx) bucketSet(runID int64, activity string) (root int64, count int, err error) {
	err = w.queryRow(`SELECT root_run, buckets FROM run_buckets WHERE run_id = ? AND activity = ? ORDER BY root_run DESC LIMIT 1`,
		[]any{runID, activity}, &root, &count)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return root, count, err
}

// RunClaimer is the claimer name under which run id's own passes claim
// its buckets; a recovery run that adopts the buckets opens them again.
func RunClaimer(id int64) string { return fmt.Sprintf("run %d", id) }

// BucketClaim claims for claimer the first claimable bucket of the set
// (root, activity) — open, or claimed with a lease that ran out before
// now — until now+lease. It returns nil, nil when none is claimable.
func (s *Store) BucketClaim(ctx context.Context, root int64, activity, claimer string, now time.Time, lease time.Duration) (*Bucket, error) {
	return s.claimBucket(ctx, claimer, now, lease, sqlClaimBucket, root, activity)
}

// BucketClaimAny claims for claimer, a serve node helping other runs,
// the first claimable bucket of any running run executed under the
// definitions of serial (a node with other definitions cannot do its
// work). It returns nil, nil when none is claimable.
//
// It looks with a read first, so an idle node's look every poll takes no
// write lock (on PostgreSQL the schema's, which every node's claims,
// fires and finishes share).
func (s *Store) BucketClaimAny(ctx context.Context, claimer string, serial int64, now time.Time, lease time.Duration) (*Bucket, error) {
	at := now
	if at.IsZero() {
		at = s.now()
	}
	var one int
	err := s.db.QueryRowContext(ctx, sqlAnyBucketClaimable, serial, formatTime(at)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.fail("claim bucket", err, "")
	}
	return s.claimBucket(ctx, claimer, now, lease, sqlClaimAnyBucket, serial)
}

// sqlAnyBucketClaimable finds whether sqlClaimAnyBucket would claim a
// bucket, without claiming it.
const sqlAnyBucketClaimable = `SELECT 1 FROM run_buckets b JOIN runs r ON r.id = b.run_id
WHERE r.state = 'running' AND r.serial = ? AND ` + bucketClaimable + `
LIMIT 1`

func (s *Store) claimBucket(ctx context.Context, claimer string, now time.Time, lease time.Duration, query string, where ...any) (*Bucket, error) {
	if claimer == "" || lease <= 0 {
		return nil, s.fail("claim bucket", invalidRun("a bucket claim needs a claimer and a lease"), "")
	}
	var claimed *Bucket
	err := s.writeTx(ctx, func(w *writeTx) error {
		at := w.nowOr(now)
		args := append([]any{claimer, formatTime(at.Add(lease)), formatTime(at)}, where...)
		args = append(args, formatTime(at))
		var (
			root  int64
			act   string
			index int
		)
		err := w.queryRow(query, args, &root, &act, &index)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		claimed, err = w.readBucket(root, act, index)
		return err
	})
	if err != nil {
		return nil, s.fail("claim bucket", err, "")
	}
	return claimed, nil
}

// BucketRenew extends claimer's lease of b until now+lease; a
// BucketLostError when the bucket is no longer claimer's.
func (s *Store) BucketRenew(ctx context.Context, b *Bucket, claimer string, now time.Time, lease time.Duration) error {
	err := s.writeTx(ctx, func(w *writeTx) error {
		at := w.nowOr(now)
		return w.updateHeld(b, claimer, `UPDATE run_buckets SET lease_until = ?, updated_at = ?`, formatTime(at.Add(lease)), formatTime(at))
	})
	return s.failBucket("renew bucket", err)
}

// BucketFinish records that claimer finished b: done with res, or failed
// with failure when it is not empty (the set is then claimed no more). A
// BucketLostError when the bucket is no longer claimer's: res is not
// kept.
func (s *Store) BucketFinish(ctx context.Context, b *Bucket, claimer string, res BucketResult, failure string) error {
	data, err := json.Marshal(res)
	if err != nil {
		return s.fail("finish bucket", err, "")
	}
	st := BucketDone
	if failure != "" {
		st = BucketFailed
	}
	err = s.writeTx(ctx, func(w *writeTx) error {
		return w.updateHeld(b, claimer, `UPDATE run_buckets SET state = ?, result = ?, error = ?, lease_until = NULL, updated_at = ?`,
			string(st), string(data), failure, formatTime(w.now))
	})
	return s.failBucket("finish bucket", err)
}

// BucketRelease opens b again, when claimer still holds it: its claimer
// stopped before the end (the run was cancelled or interrupted).
func (s *Store) BucketRelease(ctx context.Context, b *Bucket, claimer string) error {
	err := s.writeTx(ctx, func(w *writeTx) error {
		return w.updateHeld(b, claimer, `UPDATE run_buckets SET state = 'open', claimed_by = '', lease_until = NULL, updated_at = ?`,
			formatTime(w.now))
	})
	return s.failBucket("release bucket", err)
}

// updateHeld runs set (an UPDATE … SET without WHERE) on b when claimer
// holds it; otherwise a BucketLostError.
func (w *writeTx) updateHeld(b *Bucket, claimer, set string, args ...any) error {
	args = append(args, b.RootRun, b.Activity, b.Index, claimer)
	res, err := w.exec(set+` WHERE root_run = ? AND activity = ? AND bucket = ? AND state = 'claimed' AND claimed_by = ?`, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err == nil {
			err = &BucketLostError{RootRun: b.RootRun, Activity: b.Activity, Index: b.Index, Claimer: claimer}
		}
		return err
	}
	return nil
}

func (s *Store) failBucket(op string, err error) error {
	var lost *BucketLostError
	if err == nil || errors.As(err, &lost) {
		return err
	}
	return s.fail(op, err, "")
}

// Buckets returns the buckets of the set (root, activity) in order.
func (s *Store) Buckets(ctx context.Context, root int64, activity string) ([]Bucket, error) {
	var out []Bucket
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryBuckets(ctx, tx, `SELECT `+bucketColumns+` FROM run_buckets b JOIN runs r ON r.id = b.run_id
WHERE b.root_run = ? AND b.activity = ? ORDER BY b.bucket`, root, activity)
		return err
	})
	if err != nil {
		return nil, s.fail("read buckets", err, "")
	}
	return out, nil
}

func (w *writeTx) readBucket(root int64, activity string, index int) (*Bucket, error) {
	bs, err := queryBuckets(w.ctx, w.tx, `SELECT `+bucketColumns+` FROM run_buckets b JOIN runs r ON r.id = b.run_id
WHERE b.root_run = ? AND b.activity = ? AND b.bucket = ?`, root, activity, index)
	if err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, fmt.Errorf("bucket %d of activity %q of run %d is gone", index, activity, root)
	}
	return &bs[0], nil
}

func queryBuckets(ctx context.Context, q queryer, query string, args ...any) ([]Bucket, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Bucket
	for rows.Next() {
		var (
			b      Bucket
			lease  sql.NullString
			result string
		)
		if err := rows.Scan(&b.RootRun, &b.Activity, &b.Index, &b.Count, &b.RunID, &b.State, &b.ClaimedBy, &lease,
			&b.Attempts, &result, &b.Error, &b.Task, &b.Mode, &b.Serial); err != nil {
			return nil, err
		}
		if b.LeaseUntil, err = parseNullTime(lease); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(result), &b.Result); err != nil {
			return nil, fmt.Errorf("bucket %d of run %d: unreadable result: %w", b.Index, b.RootRun, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
