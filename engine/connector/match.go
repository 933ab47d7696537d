package connector

// KeyMatcher is implemented by connectors whose resource matches
// identifiers loosely: a MySQL table with a case-insensitive collation
// finds "Alice " when asked for "alice". MatchKey returns the form two
// identifiers the resource treats as one share.
type KeyMatcher interface {
	MatchKey(id string) string
}

// MatchKey returns the key syncline matches id by on c's resource: the
// connector's own rule when it has one, otherwise id itself (identifiers
// match exactly, as in a csv file, a PostgreSQL or a SQLite table).
func MatchKey(c Connector, id string) string {
	if m, ok := c.(KeyMatcher); ok {
		return m.MatchKey(id)
	}
	return id
}
