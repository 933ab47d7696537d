package synchronization_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/builtin"
	"github.com/syncline/syncline/engine/synchronization"
)

// durableFiles are 30 people and a SQL table for their accounts, written
// ten to a batch.
func durableFiles() map[string]string {
	var hr strings.Builder
	hr.WriteString("emp_id,login,first_name,last_name,email,state\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&hr, "e%03d,p%03d,P,Q,p%03d@hr.example,active\n", i, i, i)
	}
	main := strings.NewReplacer(`connector = "sql"`, "connector = \"sql\"\n  write_batch_size = 10").
		Replace(flightHR + appResource(sqliteApp, "") + "\n")
	return map[string]string{"hr.csv": hr.String(), "main.hcl": main}
}

// events records, in order, the syncs of the session and the creates the
// target is asked for.
type events struct {
	mu  sync.Mutex
	log []string
}

func (e *events) add(what string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.log = append(e.log, what)
}

// recordingCreates notes each Create in events before it is carried out.
type recordingCreates struct {
	connector.Connector
	ev *events
}

func (r *recordingCreates) Create(ctx context.Context, obj connector.Object) error {
	r.ev.add("create")
	return r.Connector.Create(ctx, obj)
}

// durableJob is an import of durableFiles whose target records its creates,
// and whose session's syncs go through sync.
func durableJob(t *testing.T, b *bundle, ev *events, sync func(func() error) error, flights bool) *synchronization.Job {
	job := importJob(t, b, &totals{})
	job.BatchSize = 10
	job.Open = func(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
		c, err := builtin.Open(ctx, res, opts)
		if err != nil || res.Name != "app" {
			return c, err
		}
		return &recordingCreates{Connector: c, ev: ev}, nil
	}
	if sync != nil {
		synchronization.OnSync(job, sync)
	}
	if !flights {
		synchronization.NoFlights(job)
	}
	return job
}

// TestBatchesSentOnlyOnceDurable: the session of an import commits
// without waiting for the disk, so the executor flushes the log before
// each write batch it sends — in flight or in turn — and no create reaches
// the target before a flush that followed the commit that queued it.
func TestBatchesSentOnlyOnceDurable(t *testing.T) {
	t.Parallel()
	for _, flights := range []bool{true, false} {
		t.Run(fmt.Sprintf("flights=%v", flights), func(t *testing.T) {
			t.Parallel()
			b := setup(t, durableFiles())
			ev := &events{}
			job := durableJob(t, b, ev, func(sync func() error) error {
				ev.add("sync")
				return sync()
			}, flights)
			if err := synchronization.Import(b.ctx, job); err != nil {
				t.Fatal(err)
			}
			if rows := sqliteRows(t, filepath.Join(b.dir, "app.db"), "SELECT login FROM accounts"); len(rows) != 30 {
				t.Fatalf("%d accounts, want 30", len(rows))
			}
			// Three batches of ten: each begins with a sync.
			syncs, creates, sinceSync := 0, 0, -1
			for _, e := range ev.log {
				switch e {
				case "sync":
					syncs++
					sinceSync = 0
				case "create":
					creates++
					if sinceSync < 0 {
						t.Fatalf("a create was sent before any sync: %v", ev.log)
					}
					if sinceSync++; sinceSync > 10 {
						t.Fatalf("more than a batch of creates after one sync: %v", ev.log)
					}
				}
			}
			if creates != 30 || syncs < 3 {
				t.Errorf("%d creates and %d syncs, want 30 and at least 3: %v", creates, syncs, ev.log)
			}
		})
	}
}

// TestSyncFailureSendsNothing: when the log cannot be flushed, nothing is
// sent, the import fails with the reason, every account's create stays
// pending, and the next import creates each account once.
func TestSyncFailureSendsNothing(t *testing.T) {
	t.Parallel()
	for _, flights := range []bool{true, false} {
		t.Run(fmt.Sprintf("flights=%v", flights), func(t *testing.T) {
			t.Parallel()
			b := setup(t, durableFiles())
			ev := &events{}
			broken := errors.New("input/output error")
			job := durableJob(t, b, ev, func(func() error) error { return broken }, flights)
			err := synchronization.Import(b.ctx, job)
			if !errors.Is(err, broken) || !strings.Contains(err.Error(), "could not be made durable") {
				t.Fatalf("import: %v, want the failed flush", err)
			}
			if len(ev.log) != 0 {
				t.Fatalf("sent to the target after the failed flush: %v", ev.log)
			}
			app := filepath.Join(b.dir, "app.db")
			if tables := sqliteRows(t, app, "SELECT name FROM sqlite_master WHERE name = 'accounts'"); len(tables) != 0 {
				if rows := sqliteRows(t, app, "SELECT login FROM accounts"); len(rows) != 0 {
					t.Fatalf("accounts created: %v", rows)
				}
			}
			pending := sqliteRows(t, b.store.Path(), `SELECT key FROM shadows WHERE resource = 'app' AND pending LIKE '%"create"%'`)
			live := sqliteRows(t, b.store.Path(), `SELECT key FROM shadows WHERE resource = 'app'`)
			if len(pending) == 0 || len(pending) != len(live) {
				t.Fatalf("%d account shadows, %d with their create pending; want every one pending", len(live), len(pending))
			}

			again := *job // the same run, carried on, its flushes as they are
			synchronization.OnSync(&again, func(sync func() error) error { return sync() })
			if err := synchronization.Import(b.ctx, &again); err != nil {
				t.Fatal(err)
			}
			if rows := sqliteRows(t, app, "SELECT login FROM accounts GROUP BY login HAVING count(*) = 1"); len(rows) != 30 {
				t.Errorf("%d accounts created once, want 30", len(rows))
			}
			if left := sqliteRows(t, b.store.Path(), `SELECT key FROM shadows WHERE pending IS NOT NULL`); len(left) != 0 {
				t.Errorf("operations still pending: %v", left)
			}
		})
	}
}
