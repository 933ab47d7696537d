package state

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestOpenInitReopenKeepsLineage(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "the sqlite:// form and the directories made for the file")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "dir", "state.db")

	s, err := Open(ctx, "sqlite://"+path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	lineage, created, err := s.Init(ctx)
	if err != nil || !created || lineage == "" {
		t.Fatalf("Init = %q, %v, %v; want a new lineage", lineage, created, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	again, created, err := s.Init(ctx)
	if err != nil || created || again != lineage {
		t.Fatalf("second Init = %q, %v, %v; want %q, false", again, created, err, lineage)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Lineage != lineage || snap.Serial != 0 || len(snap.Definitions) != 0 || snap.ShadowCounts == nil {
		t.Fatalf("snapshot = %+v", snap)
	}
}

func TestOpenCreatesPrivateFiles(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "file and directory permissions")
	root := t.TempDir()
	path := filepath.Join(root, "a", "b", "state.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, check := range []struct {
		path string
		mode fs.FileMode
	}{
		{filepath.Join(root, "a"), 0o700},
		{filepath.Join(root, "a", "b"), 0o700},
		{path, 0o600},
	} {
		info, err := os.Stat(check.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != check.mode {
			t.Errorf("%s: mode %v, want %v", check.path, got, check.mode)
		}
	}
	if got := dirEntries(t, filepath.Join(root, "a", "b")); slices.ContainsFunc(got, func(n string) bool {
		return strings.Contains(n, ".new-")
	}) {
		t.Errorf("temporary files left behind: %v", got)
	}
}

func TestOpenLocations(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "file locations (postgres_open_test.go has the PostgreSQL ones)")
	tests := []struct {
		location string
		want     string // in the error; "" for success
	}{
		{"sqlite://{dir}/a.db", ""},
		{"SQLITE://{dir}/b.db", ""},
		{"{dir}/c.db", ""},
		{"{dir}/with ? and # and %.db", ""},
		{"mysql://db.example/state", `unknown scheme "mysql"`},
		{"S3cr3t-Xq9://u:hunter2@db.example/state", "unknown scheme"},
		{"sqlite://", "the path is empty"},
		{"", "the path is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.location, func(t *testing.T) {
			t.Parallel()
			location := strings.ReplaceAll(tt.location, "{dir}", t.TempDir())
			s, err := Open(context.Background(), location, Options{})
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				return
			}
			var unsupported *UnsupportedLocationError
			if !errors.As(err, &unsupported) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want an UnsupportedLocationError containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "S3cr3t") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

func TestOpenRefusesForeignFiles(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "files that are not SQLite stores (TestOpenRefusesForeignSchema is the PostgreSQL one)")
	tests := []struct {
		name   string
		make   func(t *testing.T, path string)
		reason string
	}{
		{"empty file", writeBytes(nil), "the file is empty"},
		{"short text", writeBytes([]byte("hello\n")), "not a SQLite database"},
		{"random bytes", writeRandom(8192), "not a SQLite database"},
		{"SQLite header then garbage", writeSQLiteHeaderGarbage, "not a SQLite database"},
		{"another application's database", foreignDatabase("DELETE"), "another application (tables: accounts, groups)"},
		{"another application's WAL database", foreignDatabase("WAL"), "another application"},
		{"a meta table alone", metaOnlyDatabase, "another application (tables: meta)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "state.db")
			tt.make(t, path)
			before, entries := fileSHA256(t, path), dirEntries(t, dir)

			_, err := Open(context.Background(), path, Options{})

			var notStore *NotStoreError
			var serr *Error
			if !errors.Is(err, ErrNotStore) || !errors.As(err, &notStore) || !errors.As(err, &serr) {
				t.Fatalf("err = %v; want a NotStoreError", err)
			}
			if !strings.Contains(err.Error(), tt.reason) || serr.Op != "open" || serr.Hint == "" {
				t.Errorf("err = %q; want op open, a hint and %q", err, tt.reason)
			}
			if after := fileSHA256(t, path); after != before {
				t.Error("the file changed")
			}
			if got := dirEntries(t, dir); !slices.Equal(got, entries) {
				t.Errorf("directory now holds %v, had %v", got, entries)
			}
		})
	}
}

func writeBytes(data []byte) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func writeRandom(n int) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		data := make([]byte, n)
		_, _ = rand.Read(data)
		writeBytes(data)(t, path)
	}
}

func writeSQLiteHeaderGarbage(t *testing.T, path string) {
	data := make([]byte, 4096)
	_, _ = rand.Read(data)
	copy(data, sqliteHeader)
	writeBytes(data)(t, path)
}

// foreignDatabase makes a SQLite database of another application in the
// given journal mode.
func foreignDatabase(journalMode string) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		rawSQL(t, path, "PRAGMA journal_mode = "+journalMode,
			"CREATE TABLE accounts (login TEXT PRIMARY KEY, name TEXT)",
			"CREATE TABLE groups (name TEXT PRIMARY KEY)",
			"INSERT INTO accounts VALUES ('alice', 'Alice'), ('bob', 'Bob')")
	}
}

func metaOnlyDatabase(t *testing.T, path string) {
	rawSQL(t, path, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
}

// rawSQL runs statements on path with a plain connection and closes it.
func rawSQL(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

func TestOpenInitializesDatabaseWithoutTables(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "an empty SQLite file with the pages of a dropped table")
	path := filepath.Join(t.TempDir(), "state.db")
	rawSQL(t, path, "CREATE TABLE scratch (x)", "DROP TABLE scratch")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, want := schemaOf(t, s), schemaOf(t, setup(t).store); got != want {
		t.Errorf("schema:\n%s\nwant:\n%s", got, want)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	b := setup(t)
	newer := latestVersion + 1
	if _, err := b.store.db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, 'later')`, newer); err != nil {
		t.Fatal(err)
	}
	if err := b.store.Close(); err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, b.path)

	_, err := Open(b.ctx, b.path, Options{})

	var version *SchemaVersionError
	if !errors.As(err, &version) || version.StoreVersion != newer || version.KnownVersion != latestVersion {
		t.Fatalf("err = %v; want a SchemaVersionError %d > %d", err, newer, latestVersion)
	}
	for _, want := range []string{strconv.Itoa(newer), strconv.Itoa(latestVersion), "Upgrade syncline"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q; want it to contain %q", err, want)
		}
	}
	if fingerprint(t, b.path) != before {
		t.Error("the store changed")
	}
}

func TestOpenReadOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("missing file", func(t *testing.T) {
		t.Parallel()
		sqliteOnly(t, "a missing file (an empty PostgreSQL schema is TestOpenReadOnlyEmptySchema)")
		path := filepath.Join(t.TempDir(), "state.db")
		_, err := Open(ctx, path, Options{ReadOnly: true})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("err = %v; want fs.ErrNotExist", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Error("a read-only open created the file")
		}
	})

	t.Run("current store", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.apply(t, ApplyRequest{Upserts: []*Definition{def("task", "a", "h1")}})
		s, err := Open(ctx, b.path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		snap, err := s.Snapshot(ctx)
		if err != nil || len(snap.Definitions) != 1 {
			t.Fatalf("Snapshot = %+v, %v", snap, err)
		}
		if _, err := s.Apply(ctx, ApplyRequest{Lineage: snap.Lineage, Serial: snap.Serial, Deletes: []string{"task.a"}}); err == nil {
			t.Fatal("Apply on a read-only store succeeded")
		}
	})

	t.Run("older store", func(t *testing.T) {
		t.Parallel()
		path := newLocation(t)
		s := openUnmigrated(t, path)
		if err := s.migrateTo(ctx, 1); err != nil {
			t.Fatal(err)
		}
		s.Close()
		_, err := Open(ctx, path, Options{ReadOnly: true})
		var version *SchemaVersionError
		if !errors.As(err, &version) || version.StoreVersion != 1 || !strings.Contains(err.Error(), "older") {
			t.Fatalf("err = %v; want a SchemaVersionError for version 1", err)
		}
	})
}
