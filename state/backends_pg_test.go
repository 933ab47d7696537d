package state

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"
)

// postgresSchemaQuery describes every table, column, index and trigger of
// the store's schema, as schemaOf does from sqlite_master on SQLite.
const postgresSchemaQuery = `
SELECT 'column', c.table_name::text || '.' || c.column_name::text,
       c.data_type || coalesce(' default ' || c.column_default, '') || ' ' || c.is_nullable
FROM information_schema.columns c WHERE c.table_schema = current_schema()
UNION ALL
SELECT 'index', indexname::text, replace(indexdef, current_schema() || '.', '') FROM pg_indexes WHERE schemaname = current_schema()
UNION ALL
SELECT 'trigger', trigger_name::text || ' ' || event_manipulation, action_statement
FROM information_schema.triggers WHERE trigger_schema = current_schema()
UNION ALL
SELECT 'check', conrelid::regclass::text || '.' || conname::text, pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
ORDER BY 1, 2, 3`

// openUnmigratedPostgres is openUnmigrated for a PostgreSQL location.
func openUnmigratedPostgres(t *testing.T, location string) *Store {
	t.Helper()
	cfg, err := pgx.ParseConfig(location)
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{db: sql.OpenDB(newPGConnector(cfg)), path: location, dialect: dialectPostgres, now: newFakeClock().Now}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// fingerprint is what must not change when a store is refused: the
// file's bytes, or every row and the schema of a PostgreSQL store.
func fingerprint(t *testing.T, location string) string {
	t.Helper()
	if !isPostgresLocation(location) {
		return fileSHA256(t, location)
	}
	s := openUnmigratedPostgres(t, location)
	defer s.Close()
	return dumpStore(t, s) + schemaOf(t, s)
}

// rawPostgres runs statements on location with a connection of its own.
func rawPostgres(t *testing.T, location string, stmts ...string) {
	t.Helper()
	s := openUnmigratedPostgres(t, location)
	defer s.Close()
	for _, stmt := range stmts {
		if _, err := s.db.ExecContext(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}
