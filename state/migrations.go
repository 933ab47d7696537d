package state

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// postgresMigrationFiles are the same steps for PostgreSQL, one file per
// SQLite file with the same number: a store's schema version means the
// same tables on both engines.
//
//go:embed migrations_postgres/*.sql
var postgresMigrationFiles embed.FS

// migration is one step of the schema, numbered from 1 without gaps.
type migration struct {
	version int
	name    string // file name, e.g. "0001_definitions.sql"
	sql     string
}

// migrations are the embedded schema steps in order; latestVersion is the
// schema version this binary knows.
var (
	migrations         = mustLoadMigrations(migrationFiles, "migrations")
	postgresMigrations = mustLoadMigrations(postgresMigrationFiles, "migrations_postgres")
	latestVersion      = len(migrations)
)

func init() {
	if len(postgresMigrations) != len(migrations) {
		panic(fmt.Sprintf("state: %d SQLite migrations but %d PostgreSQL ones", len(migrations), len(postgresMigrations)))
	}
	for i, m := range migrations {
		if postgresMigrations[i].name != m.name {
			panic(fmt.Sprintf("state: migration %s has the PostgreSQL twin %s", m.name, postgresMigrations[i].name))
		}
	}
}

// migrationsOf returns the migrations of dialect d.
func migrationsOf(d dialect) []migration {
	if d == dialectPostgres {
		return postgresMigrations
	}
	return migrations
}

// mustLoadMigrations reads the embedded files. They are part of the
// binary, so a misnamed or missing one is a programming error.
func mustLoadMigrations(fsys fs.FS, dir string) []migration {
	ms, err := loadMigrations(fsys, dir)
	if err != nil {
		panic(err)
	}
	return ms
}

func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var ms []migration
	for i, name := range names {
		base := path.Base(name)
		prefix, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d as a four-digit prefix", base, i+1)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	return ms, nil
}
