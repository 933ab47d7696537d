package state

import (
	"database/sql"
	"encoding/json"
	"errors"
)

// move renames the definition at m.From to m.To, keeping its spec.
func (a *writeTx) move(m Move) error {
	if _, found, err := a.storedHash(m.From); err != nil {
		return err
	} else if !found {
		return &ConflictError{Action: "move", Address: m.From, Reason: "it is not in the state"}
	}
	if _, found, err := a.storedHash(m.To); err != nil {
		return err
	} else if found {
		return &ConflictError{Action: "move", Address: m.From,
			Reason: m.To + " is already in the state"}
	}
	_, name := splitAddress(m.To)
	_, err := a.exec(`UPDATE definitions SET address = ?, name = ?, updated_at = ? WHERE address = ?`,
		m.To, name, formatTime(a.now), m.From)
	return err
}

// upsert stores d and reports whether that was a change: a new address or
// a different hash. A same-hash upsert only updates where the definition
// is written in the configuration. The stored revision is d.Revision, or
// the request's revision when d has none.
func (a *writeTx) upsert(d *Definition, revision string) (bool, error) {
	hash, found, err := a.storedHash(d.Address())
	if err != nil {
		return false, err
	}
	if found && hash == d.Hash {
		_, err := a.exec(`UPDATE definitions SET source_file = ?, source_line = ? WHERE address = ?`,
			d.SourceFile, d.SourceLine, d.Address())
		return false, err
	}
	if d.Revision != "" {
		revision = d.Revision
	}
	spec, err := json.Marshal(specOrEmpty(d.Spec))
	if err != nil {
		return false, err
	}
	_, err = a.exec(`INSERT INTO definitions
    (address, kind, name, spec, hash, source_file, source_line, revision, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (address) DO UPDATE SET spec = excluded.spec, hash = excluded.hash,
    source_file = excluded.source_file, source_line = excluded.source_line,
    revision = excluded.revision, updated_at = excluded.updated_at`,
		d.Address(), d.Kind, d.Name, string(spec), d.Hash, d.SourceFile, d.SourceLine, revision, formatTime(a.now))
	return true, err
}

// delete removes the definition at addr, which must be stored.
func (a *writeTx) delete(addr string) error {
	res, err := a.exec(`DELETE FROM definitions WHERE address = ?`, addr)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return &ConflictError{Action: "delete", Address: addr, Reason: "it is not in the state"}
	}
	return nil
}

// storedHash returns the hash stored at addr and whether there is one.
func (a *writeTx) storedHash(addr string) (string, bool, error) {
	var hash string
	err := a.queryRow(`SELECT hash FROM definitions WHERE address = ?`, []any{addr}, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return hash, err == nil, err
}

func specOrEmpty(spec map[string]string) map[string]string {
	if spec == nil {
		return map[string]string{}
	}
	return spec
}
