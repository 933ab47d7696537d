package sqltable

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/syncline/syncline/engine/connector"
)

// postgresDialect is PostgreSQL through pgx.
type postgresDialect struct{}

// connectTimeout bounds connecting when the DSN sets no timeout.
const connectTimeout = 10 * time.Second

func (postgresDialect) open(dsn string, _ bool) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "syncline"
	}
	return sql.OpenDB(guarded{stdlib.GetConnector(*cfg)}), nil
}

func (postgresDialect) secrets(dsn string) []string {
	var out []string
	if cfg, err := pgx.ParseConfig(dsn); err == nil {
		out = append(out, cfg.Password, cfg.User, cfg.Host, cfg.Database)
	}
	return out
}

// address says no more than the driver: the host and the database are
// parts of the DSN, which is sensitive as a whole.
func (postgresDialect) address(string) string { return "postgres database (dsn)" }

func (postgresDialect) quote(ident string) string { return quoteWith(`"`, ident) }
func (postgresDialect) placeholder(n int) string  { return dollar(n) }
func (postgresDialect) forUpdate() string         { return " FOR UPDATE" }

func (postgresDialect) changeExpr(col, _ string) string { return col }

func (d postgresDialect) createTable(table, key string, cols []string) string {
	return createStatement(d.quote, table, key, "text", cols, "text", "")
}

// keyRule: text compares exactly, whatever the database's collation
// (a deterministic one breaks ties by bytes); citext compares lower case;
// char(n) ignores trailing spaces. A nondeterministic ICU collation is
// not followed: the key compares exactly for syncline.
func (postgresDialect) keyRule(_ context.Context, _ *sql.DB, _ string, key column) (keyRule, error) {
	switch key.baseType {
	case "citext":
		return keyFold, nil
	case "bpchar":
		return keyTrim, nil
	}
	return keyExact, nil
}

func (postgresDialect) createdKeyRule() keyRule { return keyExact } // text

func (postgresDialect) defaultSchema(ctx context.Context, db *sql.DB) (string, error) {
	var s sql.NullString
	err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&s)
	if err == nil && !s.Valid {
		err = errors.New("the connection has no current schema (search_path is empty); set schema")
	}
	return s.String, err
}

func (postgresDialect) columns(ctx context.Context, db *sql.DB, schema, table string) ([]column, error) {
	return queryColumns(ctx, db, `SELECT column_name, data_type, is_nullable = 'YES', COALESCE(collation_name, ''), udt_name
		FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, schema, table)
}

func (postgresDialect) tables(ctx context.Context, db *sql.DB, schema string) ([]string, error) {
	return queryStrings(ctx, db, `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, schema)
}

func (postgresDialect) version(ctx context.Context, db *sql.DB) (string, error) {
	var v string
	err := db.QueryRowContext(ctx, `SELECT current_setting('server_version')`).Scan(&v)
	return "PostgreSQL " + v, err
}

// kind sorts PostgreSQL errors by SQLSTATE class and code.
func (postgresDialect) kind(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505":
			return connector.ErrAlreadyExists
		case pe.Code == "42P01" || pe.Code == "42703" || pe.Code == "3F000":
			return connector.ErrSchema
		case pe.Code[:2] == "22" || pe.Code[:2] == "23":
			return connector.ErrInvalidObject
		case pe.Code[:2] == "08" || pe.Code[:2] == "57" || pe.Code[:2] == "28" || pe.Code == "3D000" || pe.Code == "53300":
			return connector.ErrUnreachable
		}
		return connector.ErrRejected
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || pgconn.Timeout(err) {
		return connector.ErrUnreachable
	}
	return nil
}
