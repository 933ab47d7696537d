package state

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"

	"github.com/jackc/pgx/v5"
)

// Exists reports, without creating or changing anything, whether there
// is a store at location: the file exists, or the PostgreSQL schema has
// Syncline's schema_migrations table. Commands that read a state treat a
// missing one as empty, or say how to create it; a PostgreSQL server that
// cannot be reached is an error (its URL shown without passwords).
func Exists(ctx context.Context, location string) (bool, error) {
	if !isPostgresLocation(location) {
		path, err := parseLocation(location)
		if err != nil {
			return false, &Error{Op: "open", Err: err, Hint: hintFor(err)}
		}
		_, err = os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return err == nil, err
	}
	shown, secrets := redactLocation(location)
	fail := func(err error) error {
		return &Error{Op: "open", Location: shown, Err: redactError(err, secrets),
			Hint: "Check that PostgreSQL runs at the URL's host and port and that its user may connect (the password is not shown)."}
	}
	cfg, err := pgx.ParseConfig(location)
	if err != nil {
		return false, fail(err)
	}
	db := sql.OpenDB(newPGConnector(cfg))
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, sqlHasMigrationsTable).Scan(&n); err != nil {
		return false, fail(&pgConnectError{err: err})
	}
	return n > 0, nil
}
