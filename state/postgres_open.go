package state

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// isPostgresLocation reports whether location is a PostgreSQL URL.
func isPostgresLocation(location string) bool {
	scheme, _, ok := strings.Cut(location, "://")
	return ok && (strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql"))
}

// openPostgres opens (creating and migrating as needed) the store in the
// PostgreSQL database and schema location names. The schema is the first
// of the URL's search_path parameter, or the user's default; a schema
// named there that does not exist yet is created. As with a file, a
// schema that holds tables of another application is refused and left
// alone.
func openPostgres(ctx context.Context, location string, opts Options) (*Store, error) {
	shown, secrets := redactLocation(location)
	fail := func(err error) error {
		hint := hintFor(err)
		switch err.(type) {
		case *pgConnectError:
			hint = "Check that PostgreSQL runs at the URL's host and port and that its user may connect (the password is not shown)."
		case *NotStoreError:
			hint = "Syncline leaves schemas that are not its stores alone: name another schema with search_path in the URL."
		}
		return &Error{Op: "open", Location: shown, Err: redactError(err, secrets), Hint: hint}
	}
	cfg, err := pgx.ParseConfig(location)
	if err != nil {
		return nil, &Error{Op: "open", Location: shown, Err: redactError(err, secrets),
			Hint: "Check the PostgreSQL URL: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?search_path=SCHEMA]."}
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if opts.ReadOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if _, set := cfg.RuntimeParams["lock_timeout"]; !set {
		// A writer waits for another process's write (takeWriteLock) as
		// long as SQLite's busy_timeout lets it wait for the file's lock.
		cfg.RuntimeParams["lock_timeout"] = fmt.Sprint(opts.BusyTimeout.Milliseconds())
	}
	if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
		// Plan every execution of a prepared statement for its values.
		// The store keeps statements for a whole import, during which
		// its tables grow from nothing: a generic plan made while
		// user_keys was small (a sequential scan) stayed, and made each
		// correlation lookup scan the whole table — 500 ms a batch at
		// 20,000 users, with autovacuum off.
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	s := &Store{db: sql.OpenDB(newPGConnector(cfg)), path: shown, dialect: dialectPostgres,
		readOnly: opts.ReadOnly, now: opts.Clock.Now, clock: opts.Clock, writeSlot: make(chan struct{}, 1)}
	s.db.SetConnMaxIdleTime(time.Minute)
	if err := s.preparePostgres(ctx, cfg.RuntimeParams["search_path"], opts); err != nil {
		_ = s.db.Close()
		if _, ok := err.(*Error); ok {
			return nil, err
		}
		return nil, fail(err)
	}
	if err := s.finishOpen(ctx); err != nil {
		_ = s.db.Close()
		return nil, fail(err)
	}
	return s, nil
}

// preparePostgres connects, makes sure the schema exists, and checks what
// it holds, as checkExisting does for a file.
func (s *Store) preparePostgres(ctx context.Context, searchPath string, opts Options) error {
	var schema sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return &pgConnectError{err: err}
	}
	if !schema.Valid {
		name := firstSchema(searchPath)
		if name == "" || opts.ReadOnly {
			return &SchemaVersionError{StoreVersion: 0, KnownVersion: latestVersion}
		}
		if _, err := s.db.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{name}.Sanitize()); err != nil {
			return err
		}
	}
	tables, err := userTables(ctx, s.db)
	if err != nil {
		return err
	}
	if len(tables) > 0 && !(slices.Contains(tables, "schema_migrations") && slices.Contains(tables, "meta")) {
		return &NotStoreError{Path: s.path, Reason: fmt.Sprintf(
			"the schema %s holds tables of another application (tables: %s)", schema.String, listTables(tables))}
	}
	return checkTables(ctx, s.db, s.path, tables, opts)
}

// firstSchema is the first schema of a search_path setting, unquoted.
func firstSchema(searchPath string) string {
	first, _, _ := strings.Cut(searchPath, ",")
	first = strings.TrimSpace(first)
	if len(first) >= 2 && first[0] == '"' && first[len(first)-1] == '"' {
		return strings.ReplaceAll(first[1:len(first)-1], `""`, `"`)
	}
	return strings.ToLower(first)
}

// postgresWriteLockKey is the first half of the advisory lock every write
// transaction of a PostgreSQL store takes ("SYNC"); the second half is
// the schema's hash, so stores in different schemas do not wait for each
// other.
const postgresWriteLockKey = 0x53594e43

// takeWriteLock makes a write transaction of a PostgreSQL store wait for
// the other writers of that store, in any process on any host, as SQLite's
// BEGIN IMMEDIATE makes writers of one file wait: every write of the store
// is then as serial as on SQLite, and so needs no other reasoning about
// concurrent transactions. Reads never wait for it. The lock is released
// with the transaction, also when its connection is lost.
func (s *Store) takeWriteLock(ctx context.Context, tx *sql.Tx, opts *sql.TxOptions) error {
	if s.dialect != dialectPostgres || (opts != nil && opts.ReadOnly) || s.readOnly {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))`, postgresWriteLockKey)
	return err
}

// pgConnectError is a failure to reach the PostgreSQL server.
type pgConnectError struct{ err error }

func (e *pgConnectError) Error() string { return "cannot connect to PostgreSQL: " + e.err.Error() }
func (e *pgConnectError) Unwrap() error { return e.err }

// redactLocation returns location as it may be shown — every password
// (the URL's and a password or sslpassword parameter) replaced by
// "xxxxx" — and the secrets it held, to be cut out of error messages.
// A URL that does not parse is shown by its scheme only.
func redactLocation(location string) (shown string, secrets []string) {
	scheme, _, _ := strings.Cut(location, "://")
	u, err := url.Parse(location)
	if err != nil {
		return strings.ToLower(scheme) + "://…", secretsOf(location)
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			secrets = append(secrets, pw, url.UserPassword("", pw).String()[1:])
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	for k, vs := range q {
		if isSecretParam(k) {
			secrets = append(secrets, vs...)
			q[k] = []string{"xxxxx"}
		}
	}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u.String(), append(secrets, secretsOf(location)...)
}

func isSecretParam(k string) bool {
	k = strings.ToLower(k)
	return k == "password" || k == "sslpassword"
}

// secretsOf finds passwords in a location that url.Parse refused: the
// text between "://user:" and the last "@", and any password parameter.
func secretsOf(location string) []string {
	var out []string
	_, rest, _ := strings.Cut(location, "://")
	if at := strings.LastIndex(rest, "@"); at > 0 {
		if _, pw, ok := strings.Cut(rest[:at], ":"); ok && pw != "" {
			out = append(out, pw)
		}
	}
	for _, part := range strings.FieldsFunc(rest, func(r rune) bool { return r == '?' || r == '&' || r == ' ' }) {
		if k, v, ok := strings.Cut(part, "="); ok && isSecretParam(k) && v != "" {
			out = append(out, v)
		}
	}
	return out
}

// redactError is err with every secret cut out of its message. The
// result keeps only the message: an Unwrap would hand the original, with
// the secret, to whoever asks.
func redactError(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	changed := false
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
			changed = true
		}
	}
	if !changed {
		return err
	}
	return &redactedError{msg: msg}
}

type redactedError struct{ msg string }

func (e *redactedError) Error() string { return e.msg }
