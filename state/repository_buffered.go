package state

import (
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
)

// A RepositoryTx keeps the rows of new shadows and of correlation keys back and
// inserts them many to a statement: a statement's cost beyond its rows
// (database/sql, the driver, the VM's start) was a third of storing an
// object. Rows are inserted before any statement that could see them or
// their absence — a read of shadows or keys, an update or delete (their
// triggers and foreign keys) — and before the transaction commits, so
// what a RepositoryTx stores and reads is the same as if they had gone in at
// once. Only statements on users' own columns (InsertUser, UserByID,
// UserByName) and on run changes run while rows wait.
//
// New users are held back too, when the transaction was told their names
// are free (ExpectNewUsers): one query for a batch's names instead of a
// statement per user, and a taken name is still the error of the
// InsertUser that meets it. Users go in before keys and shadows (a
// shadow's owner must exist).
//
// A new shadow or user gets its ID at once, the one SQLite would give it: one
// more than the largest in the table (the transaction holds the write
// lock, so nobody else inserts meanwhile). A shadow whose object already
// has one is reported by the statement that inserts it, as a
// ShadowExistsError of the call that inserted the rows, or of the commit.

// Rows per multi-row statement, well under SQLite's 32,766 variables.
const (
	shadowRowsPerInsert = 64 // 17 variables each
	userRowsPerInsert   = 128
	keyRowsPerInsert    = 256
)

// shadowInsertColumns are the columns of a buffered shadow, in order.
const shadowInsertColumns = `id, resource, kind, intent, identifier, key, attributes, hash,
    mapping_hash, owner, situation, synced_at, dead, pending, next_attempt_at, created_at, updated_at`

const shadowInsertWidth = 17

// userInsertColumns are the columns of a held-back user, in order.
const userInsertColumns = `id, name, status, attributes, created_at, updated_at`

const userInsertWidth = 6

// heldRows are the rows a RepositoryTx holds back.
type heldRows struct {
	shadows []any     // shadowInsertWidth values per row
	keys    []any     // attribute, value, user_id per row
	sh      []*Shadow // the shadows of shadows, for a conflict's error
	users   []any     // userInsertWidth values per row
	// nextShadowID and nextUserID are the IDs the next new shadow and
	// user get; 0 until read.
	nextShadowID, nextUserID int64
	// free are names ExpectNewUsers found free that no user took since.
	free map[string]bool
}

// independent are the statements that may run while rows wait: they
// neither read nor change shadows or correlation keys; those that read
// users run after the held users.
var independent = [stmtCount]bool{
	stmtUserByID: true, stmtUserByName: true, stmtInsertUser: true, stmtIndexedNames: true,
	stmtLastRunChange: true, stmtInsertRunChange: true, stmtNextUserID: true, stmtFreeNames: true,
}

var readsUsers = [stmtCount]bool{
	stmtUserByID: true, stmtUserByName: true, stmtInsertUser: true, stmtNextUserID: true, stmtFreeNames: true,
}

// flushFor inserts the rows statement id could see.
func (r *RepositoryTx) flushFor(id repoStmt) error {
	switch {
	case !independent[id]:
		return r.flush()
	case readsUsers[id]:
		return r.flushUsers()
	}
	return nil
}

// ExpectNewUsers tells the transaction the names of users it may insert:
// one query finds which are free, and InsertUser holds a user with one of
// those back, to insert it with others. Names already known free are not
// asked again.
func (r *RepositoryTx) ExpectNewUsers(names []string) error {
	ask := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" && !r.held.free[n] {
			ask = append(ask, n)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	list, err := json.Marshal(ask)
	if err != nil {
		return r.fail(err)
	}
	if r.held.free == nil {
		r.held.free = make(map[string]bool, len(ask))
	}
	err = r.query(stmtFreeNames, func(rows *sql.Rows) error {
		var n string
		err := rows.Scan(&n)
		r.held.free[n] = true
		return err
	}, string(list))
	if err != nil {
		return r.fail(err)
	}
	return nil
}

// bufferUser holds back the insert of the new user u, whose name is free,
// and gives it its ID.
func (r *RepositoryTx) bufferUser(u *User, attrs string) error {
	delete(r.held.free, u.Name)
	if r.held.nextUserID == 0 {
		err := r.query(stmtNextUserID, func(rows *sql.Rows) error {
			return rows.Scan(&r.held.nextUserID)
		})
		if err != nil {
			return err
		}
	}
	id := r.held.nextUserID
	r.held.nextUserID++
	r.held.users = append(r.held.users, id, u.Name, u.Status, attrs, r.nowText, r.nowText)
	if err := r.insertKeys(id, u.Attributes); err != nil {
		return err
	}
	u.ID, u.CreatedAt, u.UpdatedAt = id, r.now, r.now
	if len(r.held.users) < userInsertWidth*userRowsPerInsert {
		return nil
	}
	return r.flushUsers()
}

func (r *RepositoryTx) flushUsers() error {
	args := r.held.users
	if len(args) == 0 {
		return nil
	}
	r.held.users = nil
	// Their names were free and their IDs are new, so no row can fail but
	// by a fault: then the whole transaction goes, and the statement
	// keeps no journal to undo itself alone (a fifth of its time).
	query := multiRowInsert(`INSERT OR ROLLBACK INTO users (`+userInsertColumns+`) VALUES `, userInsertWidth, len(args)/userInsertWidth)
	err := r.execText(query, args...)
	clear(args)
	r.held.users = args[:0]
	return err
}

// bufferShadow holds back the insert of the new shadow sh, whose column
// values from resource to next_attempt_at are cols, and gives it its ID.
func (r *RepositoryTx) bufferShadow(sh *Shadow, cols []any) error {
	if r.held.nextShadowID == 0 {
		err := r.query(stmtNextShadowID, func(rows *sql.Rows) error {
			return rows.Scan(&r.held.nextShadowID)
		})
		if err != nil {
			return err
		}
	}
	sh.ID = r.held.nextShadowID
	r.held.nextShadowID++
	r.held.shadows = append(append(append(r.held.shadows, sh.ID), cols...), r.nowText, r.nowText)
	r.held.sh = append(r.held.sh, sh)
	if len(r.held.sh) < shadowRowsPerInsert {
		return nil
	}
	return r.flushShadows()
}

// bufferKey holds back the insert of a correlation key.
func (r *RepositoryTx) bufferKey(attribute, value string, userID int64) error {
	r.held.keys = append(r.held.keys, attribute, value, userID)
	if len(r.held.keys) < 3*keyRowsPerInsert {
		return nil
	}
	return r.flushKeys()
}

// flush inserts every row held back.
func (r *RepositoryTx) flush() error {
	if err := r.flushUsers(); err != nil {
		return err
	}
	if err := r.flushKeys(); err != nil {
		return err
	}
	return r.flushShadows()
}

// flushKeys and flushShadows take the rows out before they run a
// statement, which would otherwise flush them again.
func (r *RepositoryTx) flushKeys() error {
	args := r.held.keys
	if len(args) == 0 {
		return nil
	}
	r.held.keys = nil
	query := multiRowInsert(`INSERT INTO user_keys (attribute, value, user_id) VALUES `, 3, len(args)/3) + ` ON CONFLICT DO NOTHING`
	err := r.execText(query, args...)
	clear(args)
	r.held.keys = args[:0]
	return err
}

func (r *RepositoryTx) flushShadows() error {
	args, shadows := r.held.shadows, r.held.sh
	if len(shadows) == 0 {
		return nil
	}
	if err := r.flushUsers(); err != nil { // their owners
		return err
	}
	r.held.shadows, r.held.sh = nil, nil
	query := multiRowInsert(`INSERT INTO shadows (`+shadowInsertColumns+`) VALUES `, shadowInsertWidth, len(shadows))
	err := r.execText(query, args...)
	if isUniqueViolation(err) {
		err = r.shadowConflict(shadows)
	}
	clear(args)
	clear(shadows)
	r.held.shadows, r.held.sh = args[:0], shadows[:0]
	return err
}

// shadowConflict names a shadow of the failed statement whose object
// has a shadow already, stored before or earlier in the same statement.
// The statement changed nothing, and the transaction will not commit.
func (r *RepositoryTx) shadowConflict(shadows []*Shadow) error {
	seen := map[[4]string]bool{}
	for _, sh := range shadows {
		k := [4]string{sh.Resource, sh.Kind, sh.Intent, sh.Key}
		if seen[k] {
			return &ShadowExistsError{Resource: sh.Resource, Kind: sh.Kind, Intent: sh.Intent, Key: sh.Key}
		}
		seen[k] = true
		old, err := r.shadows(stmtShadowByKey, sh.Resource, sh.Kind, sh.Intent, sh.Key)
		if err != nil {
			return err
		}
		if len(old) > 0 {
			return &ShadowExistsError{Resource: sh.Resource, Kind: sh.Kind, Intent: sh.Intent, Key: sh.Key}
		}
	}
	return errShadowIDTaken
}

// errShadowIDTaken would mean that a new shadow's ID was not free.
var errShadowIDTaken = errors.New("a new shadow's ID is taken")

// multiRowInsert is prefix followed by rows groups of width placeholders.
func multiRowInsert(prefix string, width, rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", width), ",") + ")"
	var b strings.Builder
	b.Grow(len(prefix) + rows*(len(row)+1))
	b.WriteString(prefix)
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// execText runs a statement built at run time, then the test hook.
func (r *RepositoryTx) execText(query string, args ...any) error {
	st, err := r.preparedText(query)
	if err != nil {
		return err
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if _, err := st.ExecContext(r.stmtCtx, args...); err != nil {
		return err
	}
	return r.after(query)
}
