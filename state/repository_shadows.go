package state

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// shadowColumns are the columns scanShadow reads, in its order.
const shadowColumns = `id, resource, kind, intent, identifier, key, attributes, hash, mapping_hash,
    coalesce(owner, 0), situation, synced_at, dead, pending, created_at, updated_at`

// ShadowByID returns the shadow with ID id, or nil when there is none.
func (r *RepositoryTx) ShadowByID(id int64) (*Shadow, error) {
	shadows, err := r.shadows(stmtShadowByID, id)
	if err != nil || len(shadows) == 0 {
		return nil, err
	}
	return shadows[0], nil
}

// ShadowByKey returns the shadow of the object with key in resource's
// object type kind/intent, or nil when there is none.
func (r *RepositoryTx) ShadowByKey(resource, kind, intent, key string) (*Shadow, error) {
	if sh, ok := r.pre.shadowByKey(resource, kind, intent, key); ok {
		return sh, nil
	}
	var shadows []*Shadow
	// Only new shadows wait to be inserted: unless one of them has the
	// key, the table answers as it would once they are in, and they can
	// go on waiting for a fuller statement (provisioning asks for a key
	// per account it creates).
	err := r.queryFlushing(stmtShadowByKey, r.holdsKey(resource, kind, intent, key), func(rows *sql.Rows) error {
		sh, err := scanShadow(rows)
		shadows = append(shadows, sh)
		return err
	}, resource, kind, intent, key)
	if err != nil || len(shadows) == 0 {
		return nil, err
	}
	return shadows[0], nil
}

// holdsKey reports whether a new shadow held back has the key: its row,
// as it will be inserted (id, resource, kind, intent, identifier, key, …).
func (r *RepositoryTx) holdsKey(resource, kind, intent, key string) bool {
	for row := range slices.Chunk(r.held.shadows, shadowInsertWidth) {
		if row[5] == key && row[1] == resource && row[2] == kind && row[3] == intent {
			return true
		}
	}
	return false
}

// ShadowsOfUser returns the shadows linked to user userID, ordered by
// resource, kind, intent and key.
func (r *RepositoryTx) ShadowsOfUser(userID int64) ([]*Shadow, error) {
	if shadows, ok := r.pre.shadowsOf(userID); ok {
		return shadows, nil
	}
	return r.shadows(stmtShadowsOfUser, userID)
}

func (r *RepositoryTx) shadows(id repoStmt, args ...any) ([]*Shadow, error) {
	var shadows []*Shadow
	err := r.query(id, func(rows *sql.Rows) error {
		sh, err := scanShadow(rows)
		shadows = append(shadows, sh)
		return err
	}, args...)
	if err != nil {
		return nil, r.fail(err)
	}
	return shadows, nil
}

// PutShadow stores sh: a new shadow when sh.ID is 0 (setting ID and
// CreatedAt; a shadow of the same object is a ShadowExistsError, of this
// call or of a later one: new shadows are inserted many at a time, see
// repository_buffered.go), else
// every column of the shadow with that ID (UnknownShadowError when there
// is none). It sets UpdatedAt, gives pending operations without a
// QueuedAt the transaction's time, and keeps the shadow's due time (the
// earliest NextAttemptAt, or QueuedAt when that is zero) in step with
// them.
func (r *RepositoryTx) PutShadow(sh *Shadow) error {
	cols, err := r.shadowArgs(sh)
	if err != nil {
		return r.fail(err)
	}
	r.pre.wroteShadow(sh)
	if sh.ID == 0 {
		return r.insertShadow(sh, cols)
	}
	res, err := r.exec(stmtUpdateShadow, append(cols, r.nowText, sh.ID)...)
	if isUniqueViolation(err) {
		return r.fail(&ShadowExistsError{Resource: sh.Resource, Kind: sh.Kind, Intent: sh.Intent, Key: sh.Key})
	}
	if err != nil {
		return r.fail(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return r.fail(orErr(err, &UnknownShadowError{ID: sh.ID}))
	}
	sh.UpdatedAt = r.now
	return nil
}

func (r *RepositoryTx) insertShadow(sh *Shadow, cols []any) error {
	if err := r.bufferShadow(sh, cols); err != nil {
		return r.fail(err)
	}
	sh.CreatedAt, sh.UpdatedAt = r.now, r.now
	return nil
}

// DeleteShadow removes the shadow with ID id; one that does not exist is
// no error.
func (r *RepositoryTx) DeleteShadow(id int64) error {
	r.pre.forgetShadowID(id)
	if _, err := r.exec(stmtDeleteShadow, id); err != nil {
		return r.fail(err)
	}
	r.held.nextShadowID = 0 // it may have been the largest
	return nil
}

// shadowArgs are the values of the shadow's columns from resource to
// next_attempt_at, in the order of the insert and update statements.
func (r *RepositoryTx) shadowArgs(sh *Shadow) ([]any, error) {
	if sh.Resource == "" || sh.Kind == "" || sh.Key == "" {
		return nil, invalidRepo("a shadow needs a resource, a kind and a key (got %q, %q, %q)", sh.Resource, sh.Kind, sh.Key)
	}
	attrs, ok := sh.Encoded.of(sh.Attributes, appendShadowAttributes)
	if !ok {
		r.buf = appendShadowAttributes(r.buf[:0], sh.Attributes)
		attrs = string(r.buf)
	}
	pending, due, err := r.encodePending(sh.Pending)
	if err != nil {
		return nil, err
	}
	var owner any
	if sh.Owner != 0 {
		owner = sh.Owner
	}
	syncedAt := r.nowValue // mostly the transaction's time: formatted once
	if sh.SyncedAt.IsZero() || !sh.SyncedAt.Equal(r.now) {
		syncedAt = nullTime(sh.SyncedAt)
	}
	v := &r.values
	r.shadowCols = append(r.shadowCols[:0], v.resource.of(sh.Resource), v.kind.of(sh.Kind), v.intent.of(sh.Intent), sh.Identifier, sh.Key, attrs, sh.Hash,
		v.mappingHash.of(sh.MappingHash), owner, v.situation.of(sh.Situation), syncedAt, sh.Dead, pending, due)
	return r.shadowCols, nil
}

// encodePending encodes ops as the pending column (NULL for none) and
// computes next_attempt_at: the earliest time one of them is due.
func (r *RepositoryTx) encodePending(ops []PendingOperation) (pending, due any, err error) {
	if len(ops) == 0 {
		return nil, nil, nil
	}
	var earliest time.Time
	for i := range ops {
		op := &ops[i]
		if op.QueuedAt.IsZero() {
			op.QueuedAt = r.now
		}
		at := op.NextAttemptAt
		if at.IsZero() {
			at = op.QueuedAt
		}
		if i == 0 || at.Before(earliest) {
			earliest = at
		}
	}
	b, err := marshalPending(ops)
	if err != nil {
		return nil, nil, err
	}
	return string(b), formatTime(earliest), nil
}

func scanShadow(row rowScanner) (*Shadow, error) {
	var (
		sh                   Shadow
		attrs                string
		syncedAt, pending    sql.NullString
		createdAt, updatedAt string
	)
	err := row.Scan(&sh.ID, &sh.Resource, &sh.Kind, &sh.Intent, &sh.Identifier, &sh.Key, &attrs,
		&sh.Hash, &sh.MappingHash, &sh.Owner, &sh.Situation, &syncedAt, &sh.Dead, &pending,
		&createdAt, &updatedAt)
	if err != nil {
		return nil, err
	}
	if sh.Attributes, err = decodeShadowAttributes([]byte(attrs)); err != nil {
		return nil, fmt.Errorf("shadow %d: attributes: %w", sh.ID, err)
	}
	if sh.Attributes == nil {
		sh.Attributes = map[string][]string{}
	}
	if pending.Valid {
		if err := json.Unmarshal([]byte(pending.String), &sh.Pending); err != nil {
			return nil, fmt.Errorf("shadow %d: pending: %w", sh.ID, err)
		}
	}
	if err := parseShadowTimes(&sh, syncedAt, createdAt, updatedAt); err != nil {
		return nil, fmt.Errorf("shadow %d: %w", sh.ID, err)
	}
	return &sh, nil
}

func parseShadowTimes(sh *Shadow, syncedAt sql.NullString, createdAt, updatedAt string) error {
	var err error
	if sh.SyncedAt, err = parseNullTime(syncedAt); err != nil {
		return fmt.Errorf("synced_at: %w", err)
	}
	if sh.CreatedAt, err = parseTime(createdAt); err != nil {
		return fmt.Errorf("created_at: %w", err)
	}
	if sh.UpdatedAt, err = parseTime(updatedAt); err != nil {
		return fmt.Errorf("updated_at: %w", err)
	}
	return nil
}
