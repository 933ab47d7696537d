package state

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sizes of what a killed writer leaves: killCommitted shadows committed,
// then killUncommitted more in a transaction that never commits. Each
// shadow is about a page, so the open transaction holds more pages than
// SQLite's page cache (2 MB) and spills some into the log (the rollback
// journal, for the database in rollback mode) before it is killed.
const (
	killCommitted   = 50
	killUncommitted = 1000
)

// killedWriter runs in a child process started by startKilledWriter: it
// commits killCommitted shadows to the store at path, then writes
// killUncommitted more in a transaction, prints WRITING in the middle of
// it and waits there to be killed. With journal "rollback" it does the
// same to a plain SQLite database in rollback-journal mode, which is what
// the sql connector's SQLite files are.
func killedWriter(journal, path string) int {
	ctx := context.Background()
	var err error
	if journal == "rollback" {
		err = writeRollbackUntilKilled(ctx, path)
	} else {
		err = writeStoreUntilKilled(ctx, path)
	}
	fmt.Fprintln(os.Stderr, err)
	return 1
}

func writeStoreUntilKilled(ctx context.Context, path string) error {
	s, err := Open(ctx, path, Options{})
	if err != nil {
		return err
	}
	big := strings.Repeat("x", 3000)
	put := func(r *RepositoryTx, first, n int) error {
		for i := first; i < first+n; i++ {
			sh := shadow("hr", fmt.Sprintf("k%05d", i))
			sh.Attributes["blob"] = []string{big}
			if err := r.PutShadow(sh); err != nil {
				return err
			}
		}
		return nil
	}
	if err := s.RepositoryWrite(ctx, func(r *RepositoryTx) error { return put(r, 0, killCommitted) }); err != nil {
		return err
	}
	return s.RepositoryWrite(ctx, func(r *RepositoryTx) error {
		if err := put(r, killCommitted, killUncommitted); err != nil {
			return err
		}
		waitToBeKilled()
		return nil
	})
}

func writeRollbackUntilKilled(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(DELETE)")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	big := strings.Repeat("x", 3000)
	if _, err := db.ExecContext(ctx, `CREATE TABLE accounts (login TEXT PRIMARY KEY, blob TEXT)`); err != nil {
		return err
	}
	insert := func(q interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	}, first, n int) error {
		for i := first; i < first+n; i++ {
			if _, err := q.ExecContext(ctx, `INSERT INTO accounts VALUES (?, ?)`, fmt.Sprintf("k%05d", i), big); err != nil {
				return err
			}
		}
		return nil
	}
	if err := insert(db, 0, killCommitted); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := insert(tx, killCommitted, killUncommitted); err != nil {
		return err
	}
	waitToBeKilled()
	return errors.New("not killed")
}

// waitToBeKilled tells the parent that the transaction is open and waits.
func waitToBeKilled() {
	fmt.Println("WRITING")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
}

// startKilledWriter runs killedWriter in a child process and SIGKILLs it
// in the middle of its transaction, as a "syncline run" killed mid-batch.
func startKilledWriter(t *testing.T, journal, path string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STATE_TEST_KILLED_WRITER="+journal, "STATE_TEST_PATH="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "WRITING\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the writer printed %q (%v) instead of WRITING", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the writer ended with %v, want killed", err)
	}
}

// After a writer was killed in the middle of a transaction, the store
// opens and reads in every order the commands open it: "syncline show" and
// "syncline runs" read-only, "syncline run" writable. Each sees the
// committed shadows and none of the killed transaction's, and the
// writable one writes. The store is in WAL mode: the killed transaction
// left frames without a commit in the log, which any connection, even a
// read-only one, ignores.
func TestOpenAfterAWriterWasKilled(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "a killed writer's write-ahead log")
	for _, order := range [][]bool{
		{true},        // show
		{true, false}, // show, then run
		{false, true}, // run, then show
	} {
		var name []string
		for _, ro := range order {
			name = append(name, map[bool]string{true: "read-only", false: "writable"}[ro])
		}
		t.Run(strings.Join(name, " then "), func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "state.db")
			startKilledWriter(t, "wal", path)
			fi, err := os.Stat(path + "-wal")
			if err != nil {
				t.Fatalf("the killed writer left no log: %v", err)
			}
			t.Logf("the killed writer left a log of %d bytes", fi.Size())
			want := killCommitted
			for _, ro := range order {
				s, err := Open(context.Background(), path, Options{ReadOnly: ro})
				if err != nil {
					t.Fatalf("Open (read-only %v) after the kill: %v", ro, err)
				}
				defer s.Close()
				checkShadowCount(t, s, want)
				if !ro {
					err := s.RepositoryWrite(context.Background(), func(r *RepositoryTx) error {
						return r.PutShadow(shadow("hr", "after"))
					})
					if err != nil {
						t.Fatalf("a write after the kill: %v", err)
					}
					want++
					checkShadowCount(t, s, want)
				}
			}
		})
	}
}

func checkShadowCount(t *testing.T, s *Store, want int) {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM shadows`).Scan(&n); err != nil {
		t.Fatalf("reading after the kill: %v", err)
	}
	if n != want {
		t.Errorf("%d shadows after the kill, want %d (those committed)", n, want)
	}
}

// The same kill on a database in rollback-journal mode leaves a hot
// journal, which only a connection that can write may roll back: a
// read-only one fails with SQLITE_READONLY_ROLLBACK ("attempt to write a
// readonly database (776)"), a writable one rolls it back and reads what
// was committed. This is what TestImportKillAndRunAgain once met reading
// the sql connector's app.db (rollback mode, the application's choice)
// read-only; the store, in WAL mode, cannot meet it (see
// TestOpenAfterAWriterWasKilled).
func TestReadOnlyReaderOfAKilledRollbackJournal(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "a killed writer's rollback journal")
	path := filepath.Join(t.TempDir(), "app.db")
	startKilledWriter(t, "rollback", path)
	if _, err := os.Stat(path + "-journal"); err != nil {
		t.Fatalf("the killed writer left no journal: %v", err)
	}
	count := func(query string) (int, error) {
		db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: path, RawQuery: query}).String())
		if err != nil {
			return 0, err
		}
		defer db.Close()
		var n int
		err = db.QueryRow(`SELECT count(*) FROM accounts`).Scan(&n)
		return n, err
	}
	_, err := count("mode=ro")
	var e *sqlite.Error
	if !errors.As(err, &e) || e.Code() != sqlite3.SQLITE_READONLY_ROLLBACK {
		t.Fatalf("a read-only reader of the hot journal: %v; want SQLITE_READONLY_ROLLBACK", err)
	}
	n, err := count("mode=rw")
	if err != nil || n != killCommitted {
		t.Fatalf("a writable reader: %d rows, %v; want the %d committed", n, err, killCommitted)
	}
	if n, err := count("mode=ro"); err != nil || n != killCommitted {
		t.Fatalf("a read-only reader after the roll-back: %d rows, %v; want %d", n, err, killCommitted)
	}
}
