package state

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// RepositoryWrite runs fn in one write transaction with a RepositoryTx, committing when fn
// returns nil and rolling back otherwise, so a batch of objects is stored
// whole or not at all. fn's own error is returned as it is; every failure
// of a RepositoryTx method is an *Error of operation "repository" whose cause
// (UserExistsError, ShadowExistsError, …) errors.As reaches.
//
// A RepositoryTx must not be used after fn returns, nor by several goroutines.
func (s *Store) RepositoryWrite(ctx context.Context, fn func(*RepositoryTx) error) error {
	return s.repo(ctx, s.write, nil, nil, nil, fn)
}

// repo runs fn in a RepositoryTx of a write transaction that write begins,
// with the statements kept from earlier transactions (nil: none), those
// on the driver's connection (nil: none; a SQLite session's, which
// write's transaction must be on) and the session's set of names that
// may be taken (nil outside a session).
func (s *Store) repo(ctx context.Context, write func(context.Context, func(*sql.Tx) error) error, kept *keptStmts, raw *rawStmts, names *takenNames, fn func(*RepositoryTx) error) error {
	var (
		fnErr error
		last  *RepositoryTx
	)
	err := write(ctx, func(tx *sql.Tx) error {
		r := &RepositoryTx{ctx: ctx, stmtCtx: context.WithoutCancel(ctx), tx: tx, store: s, now: s.now().UTC().Round(0),
			hook: s.testHookAfterStatement, kept: kept, raw: raw, names: names}
		r.nowText = formatTime(r.now)
		r.nowValue = r.nowText
		last = r
		if fnErr = fn(r); fnErr != nil {
			return fnErr
		}
		if err := r.held.failed; err != nil { // and fn went on
			fnErr = r.fail(err)
		} else if err := r.flush(); err != nil {
			fnErr = r.fail(err)
		} else if err := r.finishUsers(); err != nil {
			fnErr = r.fail(err)
		}
		return fnErr
	})
	if last != nil {
		last.ended(err == nil)
	}
	switch {
	case err == nil:
		return nil
	case fnErr != nil && errors.Is(err, fnErr):
		return fnErr
	}
	return s.fail("repository", err, "")
}

// RepositoryTx is one write transaction on the repository (see Store.RepositoryWrite).
// Its statements are prepared once per transaction, on first use, and
// reused for every object of the batch.
type RepositoryTx struct {
	ctx context.Context
	// stmtCtx runs the statements: without cancellation, because the
	// SQLite driver starts a goroutine per statement to watch a
	// cancellable context (a tenth of a batch's time). A cancelled ctx
	// still stops the transaction before its next statement.
	stmtCtx context.Context
	tx      *sql.Tx
	store   *Store
	now     time.Time
	nowText string
	// nowValue is nowText as a statement's argument, and values the
	// last shadows' and users' repeated columns: a string made an
	// argument (an interface) is an allocation, and a new shadow binds
	// the same resource, type, mapping hash and situation as the last,
	// and every row the same time.
	nowValue any
	values   repeatedValues
	hook     func(stmt string) error

	stmts   [stmtCount]*sql.Stmt
	dynamic map[string]*sql.Stmt // FindUsers, by query text

	// indexed are the attribute names of the correlation index, read
	// once per transaction (so a UserIndexEnsure by another process is
	// always seen); nil until first needed.
	indexed []string

	buf []byte // attributes being encoded
	// shadowCols are the values shadowArgs gave last, reused: PutShadow
	// copies them or runs them at once.
	shadowCols []any
	held       heldRows // rows not inserted yet (repository_buffered.go)
	// users is where the transaction's user writes stand; names is the
	// session's set of names that may be taken (repository_names.go),
	// nil outside a session.
	users userWrites
	names *takenNames
	kept  *keptStmts
	// raw runs the statements built at run time on the driver
	// (repository_raw.go); nil but in a SQLite session.
	raw *rawStmts
	// pre is what Prefetch read (repository_prefetch.go); nil when none.
	pre *prefetched
}

// userWrites is where a transaction's user writes stand.
type userWrites struct {
	started bool  // startUsers ran
	nextID  int64 // the ID the next new user gets
	holding bool  // new users with a free name may be held back
	changed bool  // a user was updated or deleted
	// marks are those the commit will leave, when the session needs them.
	marks *userMarks
}

// Now is the store's clock when the transaction began; every time the
// transaction stores is this one.
func (r *RepositoryTx) Now() time.Time { return r.now }

// repoStmt names a statement a RepositoryTx prepares at most once.
type repoStmt int

const (
	stmtUserByID repoStmt = iota
	stmtUserByName
	stmtInsertUser
	stmtUpdateUser
	stmtDeleteUser
	stmtIndexedNames
	stmtShadowByID
	stmtShadowByKey
	stmtShadowsOfUser
	stmtNextShadowID
	stmtUpdateShadow
	stmtDeleteShadow
	stmtLastRunChange
	stmtInsertRunChange
	stmtCount
)

var repoQueries = [stmtCount]string{
	stmtUserByID:     `SELECT ` + userColumns + ` FROM users WHERE id = ?`,
	stmtUserByName:   `SELECT ` + userColumns + ` FROM users WHERE name = ?`,
	stmtInsertUser:   `INSERT INTO users (id, name, status, attributes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (name) DO NOTHING RETURNING id`,
	stmtUpdateUser:   `UPDATE users SET name = ?, status = ?, attributes = ?, updated_at = ? WHERE id = ?`,
	stmtDeleteUser:   `DELETE FROM users WHERE id = ?`,
	stmtIndexedNames: `SELECT name FROM user_indexed_attributes ORDER BY name`,
	stmtShadowByID:   `SELECT ` + shadowColumns + ` FROM shadows WHERE id = ?`,
	stmtShadowByKey: `SELECT ` + shadowColumns + ` FROM shadows
WHERE resource = ? AND kind = ? AND intent = ? AND key = ?`,
	stmtShadowsOfUser: `SELECT ` + shadowColumns + ` FROM shadows WHERE owner = ?
ORDER BY resource, kind, intent, key`,
	stmtNextShadowID: `SELECT coalesce(max(id), 0) + 1 FROM shadows`,
	stmtUpdateShadow: `UPDATE shadows SET resource = ?, kind = ?, intent = ?, identifier = ?, key = ?,
    attributes = ?, hash = ?, mapping_hash = ?, owner = ?, situation = ?, synced_at = ?, dead = ?,
    pending = ?, next_attempt_at = ?, updated_at = ?
WHERE id = ?`,
	stmtDeleteShadow:    `DELETE FROM shadows WHERE id = ?`,
	stmtLastRunChange:   `SELECT coalesce(max(seq), 0) FROM run_changes WHERE run_id = ?`,
	stmtInsertRunChange: `INSERT INTO run_changes (run_id, seq, change) VALUES (?, ?, ?)`,
}

// prepared returns statement id, preparing it on first use.
func (r *RepositoryTx) prepared(id repoStmt) (*sql.Stmt, error) {
	if st := r.stmts[id]; st != nil {
		return st, nil
	}
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	st, err := r.prepare(repoQueries[id])
	if err != nil {
		return nil, err
	}
	r.stmts[id] = st
	return st, nil
}

// preparedText is prepared for queries built at run time (FindUsers):
// one statement per distinct text, which holds placeholders only.
func (r *RepositoryTx) preparedText(query string) (*sql.Stmt, error) {
	if st := r.dynamic[query]; st != nil {
		return st, nil
	}
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	st, err := r.prepare(query)
	if err != nil {
		return nil, err
	}
	if r.dynamic == nil {
		r.dynamic = map[string]*sql.Stmt{}
	}
	r.dynamic[query] = st
	return st, nil
}

// prepare prepares query in the transaction, or takes the statement a
// session prepared in an earlier one.
func (r *RepositoryTx) prepare(query string) (*sql.Stmt, error) {
	if r.kept != nil {
		st, err := r.kept.stmt(r.stmtCtx, r.store.db, query)
		if err != nil {
			return nil, err
		}
		if st != nil {
			return r.tx.StmtContext(r.stmtCtx, st), nil
		}
	}
	return r.tx.PrepareContext(r.stmtCtx, query)
}

// exec runs statement id, after the rows held back unless it is
// independent of them, then the store's test hook.
func (r *RepositoryTx) exec(id repoStmt, args ...any) (sql.Result, error) {
	if !independent[id] {
		if err := r.flush(); err != nil {
			return nil, err
		}
	}
	st, err := r.prepared(id)
	if err != nil {
		return nil, err
	}
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	res, err := st.ExecContext(r.stmtCtx, args...)
	if err != nil {
		return nil, err
	}
	return res, r.after(repoQueries[id])
}

// query runs statement id, after the rows held back unless it is
// independent of them, and hands its rows to each, then runs the hook.
func (r *RepositoryTx) query(id repoStmt, each func(*sql.Rows) error, args ...any) error {
	return r.queryFlushing(id, !independent[id], each, args...)
}

// queryFlushing is query that inserts the rows held back first when
// flush is set.
func (r *RepositoryTx) queryFlushing(id repoStmt, flush bool, each func(*sql.Rows) error, args ...any) error {
	if flush {
		if err := r.flush(); err != nil {
			return err
		}
	}
	st, err := r.prepared(id)
	if err != nil {
		return err
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if err := eachRow(r.stmtCtx, st, each, args...); err != nil {
		return err
	}
	return r.after(repoQueries[id])
}

func (r *RepositoryTx) after(query string) error {
	if r.hook == nil {
		return nil
	}
	return r.hook(query)
}

// fail wraps a failure of a RepositoryTx method as the store's *Error.
func (r *RepositoryTx) fail(err error) error {
	return r.store.fail("repository", err, "")
}

// eachRow runs st and calls each for every row.
func eachRow(ctx context.Context, st *sql.Stmt, each func(*sql.Rows) error, args ...any) error {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
