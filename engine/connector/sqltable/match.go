package sqltable

import (
	"context"
	"fmt"
	"strings"
)

// keyRule is how the table matches keys, as the database compares the key
// column: which differences between two keys do not count. The zero rule
// is exact.
type keyRule uint32

const (
	keyExact keyRule = 0
	// keyTrim: trailing spaces (U+0020) do not count — MySQL's PAD SPACE
	// collations, PostgreSQL's char(n), SQLite's RTRIM.
	keyTrim keyRule = 1
	// keyFold: case does not count, Unicode lower case — MySQL's _ci
	// collations, PostgreSQL's citext.
	keyFold keyRule = 2
	// keyFoldASCII: the case of ASCII letters does not count — SQLite's
	// NOCASE.
	keyFoldASCII keyRule = 4
)

// apply returns id in the form every key the rule matches with it shares.
// It allocates only to change case.
func (r keyRule) apply(id string) string {
	if r == keyExact {
		return id
	}
	if r&keyTrim != 0 {
		id = strings.TrimRight(id, " ")
	}
	switch {
	case r&keyFold != 0:
		id = strings.ToLower(id) // returns id itself when it has no upper case
	case r&keyFoldASCII != 0:
		id = asciiLower(id)
	}
	return id
}

// asciiLower lower-cases the ASCII letters of s, leaving every other byte
// as it is, the way SQLite's NOCASE compares; s itself when it has none.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

// MatchKey returns the key the table matches id by, following the key
// column's collation (or type) as the database compares it: for a MySQL
// key with a _ci collation, "Alice " and "alice" are both "alice". It is
// safe for concurrent use and does not allocate when keys match exactly.
func (c *Connector) MatchKey(id string) string {
	return keyRule(c.match.Load()).apply(id)
}

// readKeyRule sets the key rule from the key column, once pickColumns has
// found it; op names the operation for errors.
func (c *Connector) readKeyRule(ctx context.Context, op string) error {
	r, err := c.d.keyRule(ctx, c.db, c.table, c.attrs[c.key])
	if err != nil {
		return c.fail(op, "", fmt.Errorf("reading how key column %q compares: %w", c.cfg.Key, err))
	}
	c.match.Store(uint32(r))
	return nil
}
