package state

import (
	"database/sql"
	"time"
)

// Times are stored as RFC 3339 text in UTC with nine fractional digits:
// readable with the sqlite3 shell, exact to the nanosecond, and sorted
// correctly as text, so SQL compares them with < and <=.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// nullTime stores the zero time as NULL, any other as formatTime.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// parseNullTime reads a nullable time column; NULL is the zero time.
func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}
