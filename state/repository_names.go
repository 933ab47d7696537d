package state

import (
	"database/sql"
	"hash/maphash"
)

// A RepositorySession that inserts many users holds them back and
// inserts them many to a statement, as it does shadows: one statement,
// one round trip to a PostgreSQL server, per user was two thirds of an
// import into a PostgreSQL state. InsertUser must still refuse a taken
// name at once (the object fails, its batch goes on), so the session
// keeps takenNames, a set of hashes that holds the name of every stored
// user — and maybe a few more. A name not in it is free: the user is
// held back. A name in it may be taken: the user is inserted at once,
// as without a session, and the statement says whether it was.
//
// The set stays true across the session's transactions because each
// transaction, under the store's write lock, first reads two marks that
// every other writer moves: the largest user ID (an insert raises it;
// IDs are given as one more than the largest) and the meta row
// user_names_changed, which every transaction that renames or deletes a
// user counts up before it commits (a delete can let an insert reuse the
// largest ID). When either differs from what the session's last commit
// left, another process wrote users: the session forgets the set.

// metaNamesChanged is the meta key counted up by every transaction that
// updates or deletes a user.
const metaNamesChanged = "user_names_changed"

const (
	// sqlUserMarks reads the marks: the largest user ID and the count of
	// transactions that renamed or deleted users.
	sqlUserMarks = `SELECT coalesce((SELECT max(id) FROM users), 0),
    coalesce((SELECT value FROM meta WHERE key = '` + metaNamesChanged + `'), '0')`
	sqlCountNamesChanged = `INSERT INTO meta (key, value) VALUES ('` + metaNamesChanged + `', '1')
ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)`
	sqlAllUserNames = `SELECT name FROM users`
)

// userMarks are the two marks of the users table.
type userMarks struct {
	maxID   int64
	changed string
}

// takenNames is a session's set of names that may be taken, as 64-bit
// hashes in an open-addressed table (0 is an empty slot).
type takenNames struct {
	seed  maphash.Seed
	slots []uint64
	n     int
	// loaded is set while the set holds every stored name; trusted are
	// the marks it holds them for (valid once a transaction that used it
	// committed).
	loaded  bool
	trusted userMarks
	// inserted counts the users the session inserted one by one: once
	// they are a thousandth of the table, reading every name is worth it.
	inserted int64
}

func newTakenNames() *takenNames { return &takenNames{seed: maphash.MakeSeed()} }

func (t *takenNames) hash(name string) uint64 {
	h := maphash.String(t.seed, name)
	if h == 0 {
		h = 1
	}
	return h
}

// mayHave says whether name may be taken.
func (t *takenNames) mayHave(name string) bool {
	if len(t.slots) == 0 {
		return false
	}
	h := t.hash(name)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case 0:
			return false
		case h:
			return true
		}
	}
}

// add records name as maybe taken.
func (t *takenNames) add(name string) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	h := t.hash(name)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case h:
			return
		case 0:
			t.slots[i] = h
			t.n++
			return
		}
	}
}

func (t *takenNames) grow() {
	old := t.slots
	t.slots, t.n = make([]uint64, max(1024, 2*len(old))), 0
	mask := uint64(len(t.slots) - 1)
	for _, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = h
		t.n++
	}
}

// forget empties the set: it no longer holds every stored name.
func (t *takenNames) forget() {
	t.slots, t.n, t.loaded, t.trusted = nil, 0, false, userMarks{}
}

// userMarks reads the users table's marks.
func (r *RepositoryTx) userMarks() (userMarks, error) {
	var m userMarks
	err := r.queryText(sqlUserMarks, func(rows *sql.Rows) error { return rows.Scan(&m.maxID, &m.changed) })
	return m, err
}

// startUsers is run before the transaction's first user insert: it
// reads the marks, gives the next user its ID, and — in a session —
// decides whether new users may be held back.
func (r *RepositoryTx) startUsers() error {
	m, err := r.userMarks()
	if err != nil {
		return err
	}
	r.users.started, r.users.nextID = true, m.maxID+1
	r.held.newUsersFrom, r.held.startMarks = r.users.nextID, m
	t := r.names
	if t == nil {
		return nil
	}
	if t.loaded && m != t.trusted {
		t.forget() // another process wrote users
	}
	if !t.loaded && t.inserted*1000 >= m.maxID {
		if err := r.loadNames(); err != nil {
			return err
		}
	}
	r.users.holding = t.loaded
	return nil
}

// loadNames fills the session's set with every stored name.
func (r *RepositoryTx) loadNames() error {
	t := r.names
	t.forget()
	err := r.queryText(sqlAllUserNames, func(rows *sql.Rows) error {
		var name string
		err := rows.Scan(&name)
		t.add(name)
		return err
	})
	if err != nil {
		t.forget()
		return err
	}
	t.loaded = true
	return nil
}

// finishUsers runs last before the commit: a transaction that updated
// or deleted users counts user_names_changed up, and one whose session
// holds the names reads the marks its commit will leave.
func (r *RepositoryTx) finishUsers() error {
	if r.users.changed {
		if err := r.execText(sqlCountNamesChanged); err != nil {
			return err
		}
	}
	if r.names == nil || !r.names.loaded {
		return nil
	}
	if r.users.started && !r.users.changed {
		// Only this transaction's inserts moved a mark since it read
		// them (it holds the write lock), each giving the next ID.
		m := userMarks{maxID: r.users.nextID - 1, changed: r.held.startMarks.changed}
		r.users.marks = &m
		return nil
	}
	m, err := r.userMarks()
	if err != nil {
		return err
	}
	r.users.marks = &m
	return nil
}

// ended tells the session how the transaction ended: after a commit the
// set holds every name for the marks finishUsers read; after a rollback
// it may hold names that were never stored, which only sends them the
// slow way, but no marks to trust.
func (r *RepositoryTx) ended(committed bool) {
	t := r.names
	if t == nil || !t.loaded {
		return
	}
	if committed && r.users.marks != nil {
		t.trusted = *r.users.marks
		return
	}
	if !committed {
		t.forget()
	}
}

// queryText runs a query built at run time and hands its rows to each.
func (r *RepositoryTx) queryText(query string, each func(*sql.Rows) error, args ...any) error {
	st, err := r.preparedText(query)
	if err != nil {
		return err
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if err := eachRow(r.stmtCtx, st, each, args...); err != nil {
		return err
	}
	return r.after(query)
}
