package state

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// UserExistsError says a user cannot be stored under a name another user
// already has.
type UserExistsError struct {
	Name string
}

func (e *UserExistsError) Error() string {
	return fmt.Sprintf("a user named %q already exists", e.Name)
}

// ShadowExistsError says a shadow cannot be stored for an object another
// shadow already records (same resource, kind, intent and key).
type ShadowExistsError struct {
	Resource, Kind, Intent, Key string
}

func (e *ShadowExistsError) Error() string {
	return fmt.Sprintf("a shadow of %s %s/%s with key %q already exists", e.Resource, e.Kind, e.Intent, e.Key)
}

// UnknownUserError says there is no user with the ID an update named.
type UnknownUserError struct {
	ID int64
}

func (e *UnknownUserError) Error() string { return fmt.Sprintf("there is no user with ID %d", e.ID) }

// UnknownShadowError says there is no shadow with the ID an update named.
type UnknownShadowError struct {
	ID int64
}

func (e *UnknownShadowError) Error() string {
	return fmt.Sprintf("there is no shadow with ID %d", e.ID)
}

// InvalidRepositoryError says a user, shadow or run change handed to the
// repository is malformed, whatever is stored: an empty user name, an
// unknown status, a reserved attribute name.
type InvalidRepositoryError struct {
	Reason string
}

func (e *InvalidRepositoryError) Error() string { return "invalid repository write: " + e.Reason }

func invalidRepo(format string, args ...any) error {
	return &InvalidRepositoryError{Reason: fmt.Sprintf(format, args...)}
}

// isUniqueViolation reports whether err is SQLite or PostgreSQL refusing a
// duplicate in a UNIQUE or PRIMARY KEY column.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" // unique_violation
	}
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
