package state

import (
	"database/sql"
	"slices"
	"strings"
)

// outcomeRowsPerUpdate is the most shadows one statement of
// PutShadowOutcomes stores (9 variables each).
const outcomeRowsPerUpdate = 128

// outcomeWidth is the number of values of a shadow's row in the
// statement: id, attributes, hash, owner, situation, dead, pending,
// next_attempt_at, updated_at.
const outcomeWidth = 9

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
	if err := r.flush(); err != nil { // new shadows first: shs may hold them
		return r.fail(err)
	}
	args := make([]any, 0, outcomeWidth*min(len(shs), outcomeRowsPerUpdate))
	for chunk := range slices.Chunk(shs, outcomeRowsPerUpdate) {
		args = args[:0]
		for _, sh := range chunk {
			row, err := r.outcomeArgs(sh)
			if err != nil {
				return r.fail(err)
			}
			args = append(args, row...)
		}
		if err := r.updateOutcomes(chunk, args); err != nil {
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
	return []any{sh.ID, attrs, sh.Hash, owner, sh.Situation, dead, pending, due, r.nowText}, nil
}

// updateOutcomes runs the statement for shs, whose rows are args.
func (r *RepositoryTx) updateOutcomes(shs []*Shadow, args []any) error {
	query := outcomeUpdate(len(shs))
	st, err := r.preparedText(query)
	if err != nil {
		return r.fail(err)
	}
	res, err := st.ExecContext(r.stmtCtx, args...)
	if err != nil {
		return r.fail(err)
	}
	if err := r.after(query); err != nil {
		return err
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
// both name column1, column2, ….
func outcomeUpdate(rows int) string {
	var b strings.Builder
	b.WriteString(`UPDATE shadows SET attributes = v.column2, hash = v.column3, owner = v.column4,
    situation = v.column5, dead = v.column6, pending = v.column7, next_attempt_at = v.column8,
    updated_at = v.column9
FROM (VALUES `)
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`(CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT), ?, ?, ?)`)
	}
	b.WriteString(`) AS v WHERE shadows.id = v.column1`)
	return b.String()
}
