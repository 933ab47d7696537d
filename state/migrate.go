package state

import (
	"context"
	"database/sql"
	"fmt"
)

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
) STRICT`

// migrate brings the schema up to the newest version this binary knows.
func (s *Store) migrate(ctx context.Context) error {
	return s.migrateTo(ctx, latestVersion)
}

// migrateTo applies the migrations up to version target, each in its own
// transaction. It is safe against another process migrating at the same
// time: each step re-reads the applied versions after taking the write
// lock. Tests call it directly to build stores of older versions.
func (s *Store) migrateTo(ctx context.Context, target int) error {
	current, err := appliedVersion(ctx, s.db)
	if err != nil {
		return s.fail("migrate", err, "")
	}
	if current > latestVersion {
		return s.fail("migrate", &SchemaVersionError{StoreVersion: current, KnownVersion: latestVersion}, "")
	}
	if current >= target {
		return nil // up to date: take no write lock
	}
	for _, m := range migrationsOf(s.dialect)[current:target] {
		if err := s.applyMigration(ctx, m); err != nil {
			return s.fail("migrate", fmt.Errorf("%s: %w", m.name, err), "")
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, m migration) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
			return err
		}
		current, err := schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		if current > latestVersion {
			return &SchemaVersionError{StoreVersion: current, KnownVersion: latestVersion}
		}
		if current >= m.version {
			return nil
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
			m.version, formatTime(s.now()))
		return err
	})
}

const sqlHasMigrationsTable = `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`

// queryer is what both *sql.DB and *sql.Tx offer for reading.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// appliedVersion is the store's schema version, 0 for a database without
// Syncline's schema; unlike schemaVersion it works on an empty database.
func appliedVersion(ctx context.Context, q queryer) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, sqlHasMigrationsTable).Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	return schemaVersion(ctx, q)
}

// schemaVersion is the highest applied migration, 0 for none.
func schemaVersion(ctx context.Context, q queryer) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
