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

// migration is one step of the schema, numbered from 1 without gaps.
type migration struct {
	version int
	name    string // file name, e.g. "0001_definitions.sql"
	sql     string
}

// migrations are the embedded schema steps in order; latestVersion is the
// schema version this binary knows.
var (
	migrations    = mustLoadMigrations(migrationFiles)
	latestVersion = len(migrations)
)

// mustLoadMigrations reads the embedded files. They are part of the
// binary, so a misnamed or missing one is a programming error.
func mustLoadMigrations(fsys fs.FS) []migration {
	ms, err := loadMigrations(fsys)
	if err != nil {
		panic(err)
	}
	return ms
}

func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
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
