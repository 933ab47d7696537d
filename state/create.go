package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// createStore makes a new, fully migrated store at path, which does not
// exist. The store is built in a temporary file beside path and linked
// into place only when complete, so no other process ever sees a half-made
// store, and two processes creating the same store cannot both win: the
// loser gets an error matching fs.ErrExist. Parent directories are created
// with mode 0700 and the file with 0600.
func createStore(ctx context.Context, path string, opts Options) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new-*")
	if err != nil {
		return err
	}
	tmpPath := tmp.Name()
	defer removeDatabaseFiles(tmpPath)
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := buildStore(ctx, tmpPath, path, opts); err != nil {
		return err
	}
	return linkIntoPlace(tmpPath, path)
}

// buildStore migrates the empty database at path and closes it, which
// checkpoints the write-ahead log into the file. Errors name the store by
// its final path.
func buildStore(ctx context.Context, path, finalPath string, opts Options) error {
	db, err := sql.Open("sqlite", dsn(path, opts))
	if err != nil {
		return err
	}
	s := &Store{db: db, path: finalPath, now: opts.Clock.Now, clock: opts.Clock}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		return fmt.Errorf("creating %s: the write-ahead log was not checkpointed", path)
	}
	return nil
}

// linkIntoPlace gives the finished store its name, failing with
// fs.ErrExist when the name is taken. File systems without hard links
// get a rename after a last check.
func linkIntoPlace(tmpPath, path string) error {
	err := os.Link(tmpPath, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, statErr := os.Lstat(path); statErr == nil {
		return fs.ErrExist
	}
	return os.Rename(tmpPath, path)
}

// removeDatabaseFiles removes a temporary database and its side files.
func removeDatabaseFiles(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = os.Remove(path + suffix)
	}
}
