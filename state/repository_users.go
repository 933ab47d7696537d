package state

import (
	"database/sql"
	"fmt"
	"slices"
)

// userColumns are the columns scanUser reads, in its order.
const userColumns = `id, name, status, attributes, created_at, updated_at`

// UserByID returns the user with ID id, or nil when there is none.
func (r *RepositoryTx) UserByID(id int64) (*User, error) {
	if u, ok := r.pre.user(id); ok {
		return u, nil
	}
	if r.holdsUserID(id) {
		if err := r.flushUsers(); err != nil {
			return nil, r.fail(err)
		}
	}
	return r.oneUser(stmtUserByID, id)
}

// UserByName returns the user named name, or nil when there is none.
func (r *RepositoryTx) UserByName(name string) (*User, error) {
	if _, held := r.held.userNames[name]; held {
		if err := r.flushUsers(); err != nil {
			return nil, r.fail(err)
		}
	}
	return r.oneUser(stmtUserByName, name)
}

func (r *RepositoryTx) oneUser(id repoStmt, arg any) (*User, error) {
	var u *User
	err := r.query(id, func(rows *sql.Rows) (err error) {
		u, err = scanUser(rows)
		return err
	}, arg)
	if err != nil {
		return nil, r.fail(err)
	}
	return u, nil
}

// InsertUser stores u as a new user, setting its ID, CreatedAt and
// UpdatedAt. A name another user has is refused with a UserExistsError.
//
// A user gets one more than the largest ID, as SQLite would give it. In a
// session that knows every stored name (repository_names.go) a user with
// a free name is held back and inserted with others; any other is
// inserted at once.
func (r *RepositoryTx) InsertUser(u *User) error {
	attrs, err := r.encodeUserAttributes(u)
	if err != nil {
		return r.fail(err)
	}
	if !r.users.started {
		if err := r.startUsers(); err != nil {
			return r.fail(err)
		}
	}
	if _, held := r.held.userNames[u.Name]; held {
		return r.fail(&UserExistsError{Name: u.Name})
	}
	id := r.users.nextID
	if r.users.holding && !r.names.mayHave(u.Name) {
		err = r.bufferUser(id, u.Name, u.Status, attrs)
	} else if err = r.flushUsers(); err == nil { // held users keep consecutive IDs
		err = r.insertUserNow(id, u.Name, u.Status, attrs)
	}
	if err != nil {
		return r.fail(err)
	}
	r.users.nextID++
	if r.names != nil {
		r.names.add(u.Name)
	}
	if err := r.insertKeys(id, u.Attributes); err != nil {
		return r.fail(err)
	}
	u.ID, u.CreatedAt, u.UpdatedAt = id, r.now, r.now
	return nil
}

// insertUserNow inserts one user with ID id; a taken name is a
// UserExistsError.
func (r *RepositoryTx) insertUserNow(id int64, name, status, attrs string) error {
	// RETURNING rather than RowsAffected: no row comes back when the name
	// is taken.
	got := int64(0)
	err := r.query(stmtInsertUser, func(rows *sql.Rows) error { return rows.Scan(&got) }, id, name, status, attrs, r.nowText)
	if err != nil {
		return err
	}
	if got == 0 {
		return &UserExistsError{Name: name}
	}
	if r.names != nil {
		r.names.inserted++
	}
	return nil
}

// UpdateUser stores u over the user with ID u.ID, name included (a name
// another user has is refused with a UserExistsError), and sets
// UpdatedAt. An ID no user has is an UnknownUserError.
func (r *RepositoryTx) UpdateUser(u *User) error {
	attrs, err := r.encodeUserAttributes(u)
	if err != nil {
		return r.fail(err)
	}
	r.pre.wroteUser(u.ID)
	r.users.changed = true
	res, err := r.exec(stmtUpdateUser, u.Name, u.Status, attrs, r.nowText, u.ID)
	if isUniqueViolation(err) {
		return r.fail(&UserExistsError{Name: u.Name})
	}
	if err != nil {
		return r.fail(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return r.fail(orErr(err, &UnknownUserError{ID: u.ID}))
	}
	// The trigger users_keys_update removed the old keys.
	if err := r.insertKeys(u.ID, u.Attributes); err != nil {
		return r.fail(err)
	}
	if r.names != nil {
		r.names.add(u.Name)
	}
	u.UpdatedAt = r.now
	return nil
}

// DeleteUser removes the user with ID id, with its correlation keys (the
// trigger users_keys_delete); the shadows it owned are left unlinked
// (owner 0). Deleting a user that does
// not exist does nothing.
func (r *RepositoryTx) DeleteUser(id int64) error {
	r.pre = nil // its shadows lose their owner
	r.users.changed = true
	if _, err := r.exec(stmtDeleteUser, id); err != nil {
		return r.fail(err)
	}
	return nil
}

// insertKeys adds the correlation keys of user id: one per indexed
// attribute it has, held back and inserted with other users' keys.
func (r *RepositoryTx) insertKeys(id int64, attrs map[string]string) error {
	indexed, err := r.indexedNames()
	if err != nil {
		return err
	}
	for _, name := range indexed {
		v, ok := attrs[name]
		if !ok {
			continue
		}
		if err := r.bufferKey(name, v, id); err != nil {
			return err
		}
	}
	return nil
}

// indexedNames are the attribute names of the correlation index, read on
// first use in the transaction.
func (r *RepositoryTx) indexedNames() ([]string, error) {
	if r.indexed != nil {
		return r.indexed, nil
	}
	names := []string{}
	err := r.query(stmtIndexedNames, func(rows *sql.Rows) error {
		var n string
		err := rows.Scan(&n)
		names = append(names, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	r.indexed = names
	return names, nil
}

func (r *RepositoryTx) isIndexed(name string) (bool, error) {
	indexed, err := r.indexedNames()
	return slices.Contains(indexed, name), err
}

// encodeUserAttributes checks u and encodes its attributes as a JSON
// object ("{}" for none).
func (r *RepositoryTx) encodeUserAttributes(u *User) (string, error) {
	switch {
	case u.Name == "":
		return "", invalidRepo("a user needs a name")
	case u.Status != UserActive && u.Status != UserDisabled:
		return "", invalidRepo("user %q has status %q; want %q or %q", u.Name, u.Status, UserActive, UserDisabled)
	}
	for _, reserved := range [...]string{"name", "status"} {
		if _, ok := u.Attributes[reserved]; ok {
			return "", invalidRepo("user %q has an attribute %q; name and status are columns, not attributes", u.Name, reserved)
		}
	}
	if attrs, ok := u.Encoded.of(u.Attributes, appendUserAttributes); ok {
		return attrs, nil
	}
	r.buf = appendUserAttributes(r.buf[:0], u.Attributes)
	return string(r.buf), nil
}

// rowScanner is a *sql.Rows or a *sql.Row.
type rowScanner interface {
	Scan(dest ...any) error
}

func scanUser(row rowScanner) (*User, error) {
	var (
		u                    User
		attrs                string
		createdAt, updatedAt string
	)
	if err := row.Scan(&u.ID, &u.Name, &u.Status, &attrs, &createdAt, &updatedAt); err != nil {
		return nil, err
	}
	var err error
	if u.Attributes, err = decodeUserAttributes([]byte(attrs)); err != nil {
		return nil, fmt.Errorf("user %q: attributes: %w", u.Name, err)
	}
	if u.Attributes == nil {
		u.Attributes = map[string]string{}
	}
	if u.CreatedAt, err = parseTime(createdAt); err != nil {
		return nil, fmt.Errorf("user %q: created_at: %w", u.Name, err)
	}
	if u.UpdatedAt, err = parseTime(updatedAt); err != nil {
		return nil, fmt.Errorf("user %q: updated_at: %w", u.Name, err)
	}
	return &u, nil
}

// orErr is err when there is one, else fallback.
func orErr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}
