package state

import (
	"database/sql"
	"slices"
	"strings"
)

// outcomeRowsPerUpdate is the most shadows one statement of
// PutShadowOutcomes or PutShadowQueues stores.
const outcomeRowsPerUpdate = 128

// outcomeWidth is the number of values of a shadow's row in the
// statement: id, attributes, hash, owner, situation, dead, pending,
// next_attempt_at (updated_at is the statement's, once).
const outcomeWidth = 8

// PutShadowOutcomes stores what carrying out operations changed on the
// existing shadows shs: their attributes, hash, owner, situation, dead
// flag and pending operations (with the due time PutShadow keeps), many
// shadows to a statement. Their resource, kind, intent, identifier, key,
// mapping hash and synced_at stay as stored: a shadow whose identifier
// changed (a rename) is stored with PutShadow. A shadow of shs that does
// not exist is an UnknownShadowError, and nothing of the statement that
// named it is stored; each shadow is named once. It sets UpdatedAt.
//
// One statement of 128 shadows costs a fraction of 128 updates of every
// column: beside the statement's own cost, an update of the identifying
// columns rewrites the entry of the unique index of object keys.
func (r *RepositoryTx) PutShadowOutcomes(shs []*Shadow) error {
	return r.putOutcomes(shs, outcomeWidth, outcomeUpdate, r.outcomeArgs)
}

// queueWidth is the number of values of a shadow's row in the statement
// of PutShadowQueues: id, hash, pending, next_attempt_at.
const queueWidth = 4

// PutShadowQueues is PutShadowOutcomes for shadows whose attributes,
// owner, situation and dead flag are as stored: it stores only their
// hash and pending operations (with the due time PutShadow keeps), and
// sets UpdatedAt. A create carried out as queued leaves just these: the
// pass stored the account's attributes, owner and situation when it
// queued it. Binding and copying a row's attributes again is most of the
// cost of storing its outcome.
func (r *RepositoryTx) PutShadowQueues(shs []*Shadow) error {
	return r.putOutcomes(shs, queueWidth, queueUpdate, r.queueArgs)
}

// putOutcomes stores shs many to a statement: update(n) is the statement
// for n shadows, after one value (updated_at), each shadow's width values
// given by rowArgs.
func (r *RepositoryTx) putOutcomes(shs []*Shadow, width int, update func(int) string, rowArgs func(*Shadow) ([]any, error)) error {
	if err := r.flush(); err != nil { // new shadows first: shs may hold them
		return r.fail(err)
	}
	args := make([]any, 0, 1+width*min(len(shs), outcomeRowsPerUpdate))
	for chunk := range slices.Chunk(shs, outcomeRowsPerUpdate) {
		args = append(args[:0], r.nowText)
		for _, sh := range chunk {
			row, err := rowArgs(sh)
			if err != nil {
				return r.fail(err)
			}
			args = append(args, row...)
		}
		if err := r.updateOutcomes(update(len(chunk)), chunk, args); err != nil {
			return err
		}
	}
	return nil
}

// outcomeArgs are the values of sh's row in the statement.
func (r *RepositoryTx) outcomeArgs(sh *Shadow) ([]any, error) {
	if sh.ID == 0 {
		return nil, invalidRepo("a shadow's outcome needs the shadow's ID (shadow %s/%s/%s/%q has none)", sh.Resource, sh.Kind, sh.Intent, sh.Key)
	}
	r.buf = appendShadowAttributes(r.buf[:0], sh.Attributes)
	attrs := string(r.buf)
	pending, due, err := r.encodePending(sh.Pending)
	if err != nil {
		return nil, err
	}
	var owner any
	if sh.Owner != 0 {
		owner = sh.Owner
	}
	dead := 0
	if sh.Dead {
		dead = 1
	}
	return []any{sh.ID, attrs, sh.Hash, owner, sh.Situation, dead, pending, due}, nil
}

// queueArgs are the values of sh's row in the statement of
// PutShadowQueues.
func (r *RepositoryTx) queueArgs(sh *Shadow) ([]any, error) {
	if sh.ID == 0 {
		return nil, invalidRepo("a shadow's outcome needs the shadow's ID (shadow %s/%s/%s/%q has none)", sh.Resource, sh.Kind, sh.Intent, sh.Key)
	}
	pending, due, err := r.encodePending(sh.Pending)
	if err != nil {
		return nil, err
	}
	return []any{sh.ID, sh.Hash, pending, due}, nil
}

// updateOutcomes runs query, the statement for shs, with args.
func (r *RepositoryTx) updateOutcomes(query string, shs []*Shadow, args []any) error {
	res, err := r.execTextResult(query, args...)
	if err != nil {
		if res == nil {
			return r.fail(err)
		}
		return err // the test hook's
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(shs)) {
		return r.fail(orErr(err, r.missingShadow(shs)))
	}
	for _, sh := range shs {
		r.pre.wroteShadow(sh)
		sh.UpdatedAt = r.now
	}
	return nil
}

// missingShadow is the UnknownShadowError of the first shadow of shs the
// table does not hold (or the error of a shadow named twice).
func (r *RepositoryTx) missingShadow(shs []*Shadow) error {
	for _, sh := range shs {
		var one int
		err := r.tx.QueryRowContext(r.stmtCtx, `SELECT 1 FROM shadows WHERE id = ?`, sh.ID).Scan(&one)
		if err == sql.ErrNoRows {
			return &UnknownShadowError{ID: sh.ID}
		}
		if err != nil {
			return err
		}
	}
	return invalidRepo("a shadow's outcome is named twice in one call")
}

// outcomeUpdate is the statement storing the outcomes of rows shadows:
// an UPDATE … FROM a VALUES list, whose columns SQLite and PostgreSQL
// both name column1, column2, …; its first variable is updated_at.
func outcomeUpdate(rows int) string {
	return valuesUpdate(`UPDATE shadows SET attributes = v.column2, hash = v.column3, owner = v.column4,
    situation = v.column5, dead = v.column6, pending = v.column7, next_attempt_at = v.column8,
    updated_at = ?
FROM (VALUES `, `(CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT), ?, ?)`, rows)
}

// queueUpdate is outcomeUpdate for PutShadowQueues: the hash and the
// pending operations alone.
func queueUpdate(rows int) string {
	return valuesUpdate(`UPDATE shadows SET hash = v.column2, pending = v.column3, next_attempt_at = v.column4,
    updated_at = ?
FROM (VALUES `, `(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))`, rows)
}

// valuesUpdate is head, rows times row, and the join on the shadow's ID.
func valuesUpdate(head, row string, rows int) string {
	var b strings.Builder
	b.WriteString(head)
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString(`) AS v WHERE shadows.id = v.column1`)
	return b.String()
}
