package state

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// A RepositoryTx keeps the rows of new shadows and of correlation keys back and
// inserts them many to a statement: a statement's cost beyond its rows
// (database/sql, the driver, the VM's start) was a third of storing an
// object. On PostgreSQL a table's held rows go in by one COPY
// (postgres_copy.go). Rows are inserted before any statement that could see them or
// their absence — a read of shadows or keys, an update or delete (their
// triggers and foreign keys) — and before the transaction commits, so
// what a RepositoryTx stores and reads is the same as if they had gone in at
// once. Only statements on users' own columns (InsertUser, UserByID,
// UserByName) and on run changes run while rows wait; in a session, new
// users wait too (repository_names.go), inserted before the shadows that
// name them and before a read of a held user's name or ID.
//
// A new shadow gets its ID at once, the one SQLite would give it: one
// more than the largest in the table (the transaction holds the write
// lock, so nobody else inserts meanwhile). A shadow whose object already
// has one is reported by the statement that inserts it, as a
// ShadowExistsError of the call that inserted the rows, or of the commit.

// Rows per multi-row statement, well under SQLite's 32,766 variables.
const (
	shadowRowsPerInsert = 64 // 17 variables each
	keyRowsPerInsert    = 256
	userRowsPerInsert   = 128 // 6 variables each
)

// copyRowsPerFlush is how many rows of a table a PostgreSQL store holds
// back before it copies them (postgres_copy.go): a batch's rows then go
// in one COPY per table, each a round trip to the server, where 64 to a
// statement took 34 statements a batch of 500 objects, each planned
// again (plan_cache_mode), and a fifth of the server's time was
// planning and binding them.
const copyRowsPerFlush = 2048

// copyMinRows is the fewest rows a PostgreSQL store copies; fewer go in
// an INSERT, as on SQLite. A COPY costs the client a goroutine and three
// writes to the socket, and rows are flushed one by one when every
// object reads what the rows before it changed (FindUsers per object).
const copyMinRows = 8

// copies says whether the n rows of a flush go in by COPY.
func (r *RepositoryTx) copies(n int) bool {
	return r.store.dialect == dialectPostgres && n >= copyMinRows
}

// userInsertColumns are the columns of a held user, in order.
const userInsertColumns = `id, name, status, attributes, created_at, updated_at`

// shadowInsertColumns are the columns of a buffered shadow, in order.
const shadowInsertColumns = `id, resource, kind, intent, identifier, key, attributes, hash,
    mapping_hash, owner, situation, synced_at, dead, pending, next_attempt_at, created_at, updated_at`

const shadowInsertWidth = 17

// heldRows are the rows a RepositoryTx holds back.
type heldRows struct {
	users []any // the userInsertColumns of each held user
	// userNames are the names of the held users; firstUserID is the ID
	// of the first (the others follow it: a user inserted at once
	// inserts the held ones first).
	userNames   map[string]struct{}
	firstUserID int64
	shadows     []any     // shadowInsertWidth values per row
	keys        []any     // attribute, value, user_id per row
	sh          []*Shadow // the shadows of shadows, for a conflict's error
	// nextShadowID is the ID the next new shadow gets; 0 until read.
	nextShadowID int64
	// newUsersFrom is the first ID the transaction gives a new user (0
	// before its first insert). A key of such a user cannot be stored
	// yet: its keys may be copied. keysOfOthers is set when a held key
	// is another user's, which may be (the insert skips it then).
	newUsersFrom int64
	keysOfOthers bool
	// startMarks are the users' marks startUsers read.
	startMarks userMarks
	// failed is the error of an insert of held rows that may have left
	// some in (held users; shadows under unexpected IDs): the
	// transaction must not commit, whatever its caller does next.
	failed     error
	copyBuf    []byte // a COPY's rows being encoded
	userArgs   []any  // the held users' values but their IDs (insertUsersInOrder)
	shadowArgs []any  // the held shadows' values but their IDs (insertShadowsInOrder)
}

// independent are the statements that may run while rows wait: they
// neither read nor change shadows or correlation keys.
var independent = [stmtCount]bool{
	stmtUserByID: true, stmtUserByName: true, stmtInsertUser: true, stmtIndexedNames: true,
	stmtLastRunChange: true, stmtInsertRunChange: true,
}

// bufferShadow holds back the insert of the new shadow sh, whose column
// values from resource to next_attempt_at are cols, and gives it its ID.
func (r *RepositoryTx) bufferShadow(sh *Shadow, cols []any) error {
	if r.held.nextShadowID == 0 {
		// Held users and keys do not move the largest shadow ID: only
		// held shadows (after a DeleteShadow) go in first.
		err := r.queryFlushing(stmtNextShadowID, len(r.held.sh) > 0, func(rows *sql.Rows) error {
			return rows.Scan(&r.held.nextShadowID)
		})
		if err != nil {
			return err
		}
	}
	sh.ID = r.held.nextShadowID
	r.held.nextShadowID++
	r.held.shadows = append(append(append(r.held.shadows, sh.ID), cols...), r.nowValue, r.nowValue)
	r.held.sh = append(r.held.sh, sh)
	if len(r.held.sh) < r.heldRowsLimit(shadowRowsPerInsert) {
		return nil
	}
	return r.flushShadows()
}

// bufferKey holds back the insert of a correlation key.
func (r *RepositoryTx) bufferKey(attribute, value string, userID int64) error {
	r.held.keys = append(r.held.keys, r.values.attribute.of(attribute), value, userID)
	if r.held.newUsersFrom == 0 || userID < r.held.newUsersFrom {
		r.held.keysOfOthers = true
	}
	if len(r.held.keys) < 3*r.heldRowsLimit(keyRowsPerInsert) {
		return nil
	}
	return r.flushKeys()
}

// bufferUser holds back the insert of a new user whose name is free.
func (r *RepositoryTx) bufferUser(id int64, name, status, attrs string) error {
	if len(r.held.userNames) == 0 {
		r.held.firstUserID = id
		if r.held.userNames == nil {
			r.held.userNames = make(map[string]struct{}, userRowsPerInsert)
		}
	}
	r.held.users = append(r.held.users, id, name, r.values.status.of(status), attrs, r.nowValue, r.nowValue)
	r.held.userNames[name] = struct{}{}
	if len(r.held.userNames) < r.heldRowsLimit(userRowsPerInsert) {
		return nil
	}
	return r.flushUsers()
}

// heldRowsLimit is how many rows of a table are held back before they
// are inserted: rows of a multi-row INSERT, or of a COPY on PostgreSQL.
func (r *RepositoryTx) heldRowsLimit(rowsPerInsert int) int {
	if r.store.dialect == dialectPostgres {
		return copyRowsPerFlush
	}
	return rowsPerInsert
}

// holdsUserID says whether user id is held back.
func (r *RepositoryTx) holdsUserID(id int64) bool {
	n := int64(len(r.held.userNames))
	return n > 0 && id >= r.held.firstUserID && id < r.held.firstUserID+n
}

// flush inserts every row held back: users first, whom shadows refer to.
func (r *RepositoryTx) flush() error {
	if err := r.flushUsers(); err != nil {
		return err
	}
	if err := r.flushKeys(); err != nil {
		return err
	}
	return r.flushShadows()
}

// flushUsers inserts the users held back. Their names were free when
// they were held and nobody else writes meanwhile, so a taken one
// would be a fault of the session's set of names: the statement fails
// and with it the transaction, which can no longer commit
// (held.failed).
func (r *RepositoryTx) flushUsers() error {
	args := r.held.users
	if len(args) == 0 {
		return nil
	}
	r.held.users = nil
	first := r.held.firstUserID
	clear(r.held.userNames)
	var err error
	switch {
	case r.copies(len(args) / 6):
		err = r.copyRows(`COPY users (`+userInsertColumns+`) FROM STDIN`, args, 6)
	case r.store.dialect == dialectSQLite && !r.users.changed:
		err = r.insertUsersInOrder(first, args)
	default:
		err = r.execText(multiRowInsert(`INSERT INTO users (`+userInsertColumns+`) VALUES `, 6, len(args)/6), args...)
	}
	if err != nil {
		r.held.failed = err
	}
	clear(args)
	r.held.users = args[:0]
	return err
}

// insertUsersInOrder inserts held users (userInsertColumns, 6 values a
// row) whose IDs run from first on, on SQLite, letting SQLite give
// them their IDs: one more than the largest, which they are — every
// ID the transaction gave before first was inserted (held users are
// inserted before a user inserted at once), and no user was deleted
// (users.changed) — checked by the last row's ID.
//
// A statement that sets the ID of a new row, or may fail at a
// constraint without ending the statement alone (a plain INSERT, not
// OR FAIL), keeps a statement journal, to undo its own rows: a copy of
// every page it changes that existed before it — for users the pages
// of the name index, where names go in at random — a twentieth of an
// import's committer. OR FAIL leaves the rows before a failing one to
// the transaction's rollback (held.failed).
//
// The rows' times, the transaction's, are one value bound once (?1).
func (r *RepositoryTx) insertUsersInOrder(first int64, args []any) error {
	n := len(args) / 6
	// name, status, attributes
	last, err := r.insertRowsInOrder(&r.held.userArgs, `INSERT OR FAIL INTO users (`+usersInOrderColumns+`) VALUES `,
		usersInOrderRow, args, 6, 1, 4)
	if err == nil && last != first+int64(n)-1 {
		err = fmt.Errorf("held users got IDs up to %d, not %d", last, first+int64(n)-1)
	}
	return err
}

// insertRowsInOrder inserts the rows of args (width values a row, of
// which row[from:to] are bound, after the transaction's time as ?1) in
// one statement of prefix and row, the values gathered in *buf (kept for
// the next batch), and returns the last row's ID.
func (r *RepositoryTx) insertRowsInOrder(buf *[]any, prefix, row string, args []any, width, from, to int) (last int64, err error) {
	vals := append((*buf)[:0], r.nowValue)
	for rw := range slices.Chunk(args, width) {
		vals = append(vals, rw[from:to]...)
	}
	res, err := r.execTextResult(sharedInsert(prefix, row, len(args)/width), vals...)
	clear(vals)
	*buf = vals[:0]
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// flushKeys and flushShadows take the rows out before they run a
// statement, which would otherwise flush them again.
func (r *RepositoryTx) flushKeys() error {
	args := r.held.keys
	if len(args) == 0 {
		return nil
	}
	r.held.keys = nil
	var err error
	if r.copies(len(args)/3) && !r.held.keysOfOthers {
		// Every key is a new user's: none can be stored already, and a
		// user's keys are one per attribute name.
		err = r.copyRows(`COPY user_keys (attribute, value, user_id) FROM STDIN`, args, 3)
	} else {
		err = r.insertKeyRows(args)
	}
	r.held.keysOfOthers = false
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
	insert := func() error {
		if r.copies(len(shadows)) {
			return r.copyRows(`COPY shadows (`+shadowInsertColumns+`) FROM STDIN`, args, shadowInsertWidth)
		}
		if r.store.dialect == dialectSQLite {
			return r.insertShadowsInOrder(args, shadows)
		}
		return r.execText(multiRowInsert(`INSERT INTO shadows (`+shadowInsertColumns+`) VALUES `, shadowInsertWidth, len(shadows)), args...)
	}
	var err error
	if r.store.dialect == dialectPostgres {
		err = r.inSavepoint(insert)
	} else {
		err = insert()
	}
	if isUniqueViolation(err) {
		err = r.shadowConflict(shadows)
	}
	clear(args)
	clear(shadows)
	r.held.shadows, r.held.sh = args[:0], shadows[:0]
	return err
}

// insertShadowsInOrder inserts held shadows (args: shadowInsertWidth
// values a row, the ID first) on SQLite, letting SQLite give them their
// IDs: one more than the largest, which they are (bufferShadow) —
// checked by the last row's. A row whose ID is given is first looked
// for in the table, to refuse a taken one: a fifteenth of a shadow's
// insert.
//
// The rows' times, the transaction's, are one value bound once (?1), and
// dead, pending and next_attempt_at are left to their defaults (0, NULL,
// NULL) when every row has them — a new shadow mostly: fewer values to
// bind.
func (r *RepositoryTx) insertShadowsInOrder(args []any, shadows []*Shadow) error {
	defaults := true
	for row := range slices.Chunk(args, shadowInsertWidth) {
		if row[shadowDeadColumn] != false || row[shadowDeadColumn+1] != nil || row[shadowDeadColumn+2] != nil {
			defaults = false
			break
		}
	}
	prefix, row, own := `INSERT INTO shadows (`+shadowsInOrderColumns+`) VALUES `, shadowsInOrderRow, shadowInsertWidth-3
	if defaults {
		prefix, row, own = `INSERT INTO shadows (`+shadowsInOrderDefaultsColumns+`) VALUES `, shadowsInOrderDefaultsRow, shadowDeadColumn-1
	}
	// resource … synced_at (… next_attempt_at)
	last, err := r.insertRowsInOrder(&r.held.shadowArgs, prefix, row, args, shadowInsertWidth, 1, 1+own)
	if want := shadows[len(shadows)-1].ID; err == nil && last != want {
		err = fmt.Errorf("%w: new shadows got IDs up to %d, not %d", errShadowIDTaken, last, want)
		r.held.failed = err // they are in, under other IDs than PutShadow gave
	}
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

// The SQLite inserts of held rows in order: the columns and a row of
// placeholders (sharedInsert). The first column is created_at, so that
// ?1 comes first in the text: SQLite then lists only ?1 among the named
// parameters, where a name for each of the hundreds of parameters made
// the driver's binding quadratic (sqlite3_bind_parameter_name looks a
// name up in that list).
const (
	usersInOrderColumns = `created_at, name, status, attributes, updated_at`
	usersInOrderRow     = `(?1,?,?,?,?1)`
	// The shadows' from resource to next_attempt_at.
	shadowsInOrderColumns = `created_at, resource, kind, intent, identifier, key, attributes, hash,
    mapping_hash, owner, situation, synced_at, dead, pending, next_attempt_at, updated_at`
	shadowsInOrderRow = `(?1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?1)`
	// The shadows' from resource to synced_at: dead, pending and
	// next_attempt_at have their defaults.
	shadowsInOrderDefaultsColumns = `created_at, resource, kind, intent, identifier, key, attributes, hash,
    mapping_hash, owner, situation, synced_at, updated_at`
	shadowsInOrderDefaultsRow = `(?1,?,?,?,?,?,?,?,?,?,?,?,?1)`
)

// shadowDeadColumn is the index of dead in a held shadow's row (pending
// and next_attempt_at follow it).
const shadowDeadColumn = 12

// sharedInsert is prefix followed by rows copies of row, comma-separated:
// a group of placeholders in which ?1, if any, is a value every row
// shares (the first argument) and each ? a value of the row's own, row
// after row.
func sharedInsert(prefix, row string, rows int) string {
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

// multiRowInsert is prefix followed by rows groups of width placeholders.
func multiRowInsert(prefix string, width, rows int) string {
	return sharedInsert(prefix, "("+strings.TrimSuffix(strings.Repeat("?,", width), ",")+")", rows)
}

// execText runs a statement built at run time, then the test hook.
func (r *RepositoryTx) execText(query string, args ...any) error {
	_, err := r.execTextResult(query, args...)
	return err
}

func (r *RepositoryTx) execTextResult(query string, args ...any) (sql.Result, error) {
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	var (
		res sql.Result
		err error
	)
	if r.raw != nil {
		res, err = r.raw.exec(r.ctx, r.stmtCtx, query, args)
	} else {
		var st *sql.Stmt
		if st, err = r.preparedText(query); err == nil {
			res, err = st.ExecContext(r.stmtCtx, args...)
		}
	}
	if err != nil {
		return nil, err
	}
	return res, r.after(query)
}

// insertKeyRows inserts keys (attribute, value, user_id per row) with
// multi-row INSERTs that skip a key stored already.
func (r *RepositoryTx) insertKeyRows(args []any) error {
	for len(args) > 0 {
		n := min(len(args), 3*keyRowsPerInsert)
		query := multiRowInsert(`INSERT INTO user_keys (attribute, value, user_id) VALUES `, 3, n/3) + ` ON CONFLICT DO NOTHING`
		if err := r.execText(query, args[:n]...); err != nil {
			return err
		}
		args = args[n:]
	}
	return nil
}

// copyRows copies values, width to a row, into a PostgreSQL table with
// stmt (COPY table (columns) FROM STDIN), then runs the test hook.
func (r *RepositoryTx) copyRows(stmt string, values []any, width int) error {
	data, err := appendCopyRows(r.held.copyBuf[:0], values, width)
	if err != nil {
		return err
	}
	r.held.copyBuf = data[:0]
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if _, err := r.tx.ExecContext(r.stmtCtx, pgCopyQuery, &pgCopyIn{stmt: stmt, data: data}); err != nil {
		return err
	}
	return r.after(stmt)
}

// inSavepoint runs a statement of a PostgreSQL transaction whose failure
// is looked into afterwards. A failed statement aborts its transaction,
// so it runs inside a savepoint, rolled back to when it fails; SQLite
// undoes a failed statement by itself.
func (r *RepositoryTx) inSavepoint(run func() error) error {
	if _, err := r.tx.ExecContext(r.stmtCtx, `SAVEPOINT held_rows`); err != nil {
		return err
	}
	err := run()
	end := `RELEASE SAVEPOINT held_rows`
	if err != nil {
		end = `ROLLBACK TO SAVEPOINT held_rows`
	}
	if _, endErr := r.tx.ExecContext(r.stmtCtx, end); endErr != nil && err == nil {
		err = endErr
	}
	return err
}

// repeatedValues are the last values of columns that repeat from row to
// row, as arguments.
type repeatedValues struct {
	resource, kind, intent, mappingHash, situation, status, attribute lastValue
}

// lastValue is the last string of a column made an argument.
type lastValue struct {
	s string
	v any
}

// of is s as an argument: the last one when s is the same.
func (l *lastValue) of(s string) any {
	if l.v == nil || l.s != s {
		l.s, l.v = s, s
	}
	return l.v
}
