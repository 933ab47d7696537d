package synchronization_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/builtin"
	"github.com/syncline/syncline/engine/synchronization"
)

// gated holds its first Create until release is closed: a write batch
// under way for as long as a test needs.
type gated struct {
	connector.Connector
	once    sync.Once
	release <-chan struct{}
}

func (g *gated) Create(ctx context.Context, obj connector.Object) error {
	var err error
	g.once.Do(func() {
		select {
		case <-g.release:
		case <-ctx.Done():
			err = ctx.Err()
		}
	})
	if err != nil {
		return err
	}
	return g.Connector.Create(ctx, obj)
}

// flightHR correlates people by login, so that a second row with the
// login of an earlier one is the same person.
const flightHR = `
resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    correlate {
      name = lower(attributes.login)
    }
    inbound {
      name        = lower(attributes.login)
      given_name  = attributes.first_name
      family_name = attributes.last_name
      email       = attributes.email
      status      = attributes.state == "terminated" ? "disabled" : "active"
    }
    reactions {
      unmatched = "add_focus"
      unlinked  = "link"
    }
  }
}
task "hr-import" {
  activity "import" {
    resource = resource.hr
    threads  = 1
  }
}
`

// TestDecisionWaitsForItsShadowsFlight: the first write batch of an import
// is held under way while the pass goes on; the next step meets another
// row with the login of a person that batch is creating an account for.
// Deciding it reads the person's shadows, so it waits for the batch to
// land and reads them as the batch left them. The users, the shadows, the
// table and the counts end exactly as when every batch runs in turn with
// the pass.
func TestDecisionWaitsForItsShadowsFlight(t *testing.T) {
	t.Parallel()
	var hr strings.Builder
	hr.WriteString("emp_id,login,first_name,last_name,email,state\n")
	row := func(emp, login, last string) {
		fmt.Fprintf(&hr, "%s,%s,P,%s,%s@hr.example,active\n", emp, login, last, login)
	}
	for i := 1; i <= 10; i++ {
		row(fmt.Sprintf("e%03d", i), fmt.Sprintf("p%03d", i), "Before")
	}
	row("e900", "p003", "After") // the second step's first row
	for i := 11; i <= 29; i++ {
		row(fmt.Sprintf("e%03d", i), fmt.Sprintf("p%03d", i), "Before")
	}
	files := map[string]string{"hr.csv": hr.String(), "main.hcl": flightHR + appResource(sqliteApp, "") +
		"\n"}
	// Write batches of ten (the largest write_batch_size of any resource).
	files["main.hcl"] = strings.NewReplacer(`connector = "sql"`, "connector = \"sql\"\n  write_batch_size = 10",
		`connector = "csv"`, "connector = \"csv\"\n  write_batch_size = 10").Replace(files["main.hcl"])

	type result struct {
		users, shadows, table, stats []string
		waits                        []string
	}
	importOnce := func(t *testing.T, flights bool) result {
		b := setup(t, files)
		release := make(chan struct{})
		var (
			mu    sync.Mutex
			waits []string
			once  sync.Once
		)
		job := importJob(t, b, &totals{})
		job.BatchSize = 10
		rec := newCounting()
		job.Rec = rec
		job.Open = func(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
			c, err := builtin.Open(ctx, res, opts)
			if err != nil || res.Name != "app" || !flights {
				return c, err
			}
			return &gated{Connector: c, release: release}, nil
		}
		if flights {
			synchronization.OnFlightWait(job, func(why string) {
				mu.Lock()
				waits = append(waits, why)
				mu.Unlock()
				once.Do(func() { close(release) })
			})
		} else {
			synchronization.NoFlights(job)
		}
		// A batch held under way that no one waits for would hold the
		// import until this ends it.
		ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
		defer cancel()
		if err := synchronization.Import(ctx, job); err != nil {
			t.Fatal(err)
		}
		return result{
			users:   b.users(t),
			shadows: shadowLines(t, b),
			table:   sqliteRows(t, filepath.Join(b.dir, "app.db"), "SELECT login, full_name, email FROM accounts ORDER BY login"),
			stats:   rec.lines(),
			waits:   waits,
		}
	}
	flown, inTurn := importOnce(t, true), importOnce(t, false)
	if len(flown.waits) == 0 || flown.waits[0] != "read" {
		t.Errorf("the pass waited for the batch under way at %v, want first at the read of p003's account", flown.waits)
	}
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"users", flown.users, inTurn.users},
		{"shadows", flown.shadows, inTurn.shadows},
		{"table", flown.table, inTurn.table},
		{"statistics", flown.stats, inTurn.stats},
	} {
		if d := diffLines(c.want, c.got); d != "" {
			t.Errorf("%s with write batches under way differ from one batch at a time:\n%s", c.what, d)
		}
	}
	if !slices.Contains(flown.stats, "situation.disputed=1") {
		t.Errorf("statistics %v: want the second row of p003 disputed", flown.stats)
	}
}

// shadowLines are the shadows of the store without their times and IDs.
func shadowLines(t *testing.T, b *bundle) []string {
	t.Helper()
	return sqliteRows(t, b.store.Path(), `SELECT s.resource, s.identifier, s.key, coalesce(u.name, '-') AS owner, s.situation, s.dead,
		coalesce(s.pending, '-') AS pending, s.attributes, s.hash FROM shadows s LEFT JOIN users u ON u.id = s.owner ORDER BY s.resource, s.key`)
}

// counting records the statistics a job counts.
type counting struct {
	totals
	mu    sync.Mutex
	stats map[string]int64
	errs  []string
}

func newCounting() *counting { return &counting{stats: map[string]int64{}} }

func (c *counting) AddStatistic(name string, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats[name] += n
}

func (c *counting) AddItemError(item, _ string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errs = append(c.errs, item+": "+err.Error())
}

// lines are the statistics and errors, sorted.
func (c *counting) lines() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for name, n := range c.stats {
		out = append(out, fmt.Sprintf("%s=%d", name, n))
	}
	out = append(out, c.errs...)
	slices.Sort(out)
	return out
}

// TestCancelledWhileABatchIsUnderWay: the run is cancelled while its first
// write batch is under way and the pass waits for it. Nothing the batch
// did not confirm is lost: every queued create stays pending, and the next
// import carries them out — every person ends with exactly one account.
func TestCancelledWhileABatchIsUnderWay(t *testing.T) {
	t.Parallel()
	var hr strings.Builder
	hr.WriteString("emp_id,login,first_name,last_name,email,state\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&hr, "e%03d,p%03d,P,%03d,p%03d@hr.example,active\n", i, i, i, i)
	}
	main := strings.NewReplacer(`connector = "sql"`, "connector = \"sql\"\n  write_batch_size = 10",
		`connector = "csv"`, "connector = \"csv\"\n  write_batch_size = 10").Replace(flightHR + appResource(sqliteApp, ""))
	b := setup(t, map[string]string{"hr.csv": hr.String(), "main.hcl": main})

	ctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	job := importJob(t, b, &totals{})
	job.BatchSize = 10
	release := make(chan struct{}) // never closed: the batch waits until cancelled
	job.Open = func(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
		c, err := builtin.Open(ctx, res, opts)
		if err != nil || res.Name != "app" {
			return c, err
		}
		return &gated{Connector: c, release: release}, nil
	}
	synchronization.OnFlightWait(job, func(string) { cancel() })
	if err := synchronization.Import(ctx, job); err == nil {
		t.Fatal("the cancelled import ended without an error")
	}
	app := filepath.Join(b.dir, "app.db")
	if tables := sqliteRows(t, app, "SELECT name FROM sqlite_master WHERE name = 'accounts'"); len(tables) != 0 {
		if rows := sqliteRows(t, app, "SELECT login FROM accounts"); len(rows) != 0 {
			t.Fatalf("the cancelled import wrote %d accounts, want none: its batch never went through", len(rows))
		}
	}
	pending := sqliteRows(t, b.store.Path(), `SELECT key FROM shadows WHERE resource = 'app' AND pending LIKE '%"create"%'`)
	live := sqliteRows(t, b.store.Path(), `SELECT key FROM shadows WHERE resource = 'app'`)
	if len(pending) == 0 || len(pending) != len(live) {
		t.Fatalf("after the cancel: %d account shadows, %d of them with their create pending; want every one pending", len(live), len(pending))
	}

	again := *job // the same run, carried on: nothing held, nothing cancelled
	again.Open, again.Rec = nil, newCounting()
	synchronization.OnFlightWait(&again, nil)
	if err := synchronization.Import(b.ctx, &again); err != nil {
		t.Fatal(err)
	}
	rows := sqliteRows(t, app, "SELECT login, count(*) FROM accounts GROUP BY login HAVING count(*) = 1")
	if len(rows) != 30 {
		t.Errorf("after the next import: %d people with exactly one account, want 30\n%v", len(rows), again.Rec.(*counting).lines())
	}
	if left := sqliteRows(t, b.store.Path(), `SELECT key FROM shadows WHERE pending IS NOT NULL`); len(left) != 0 {
		t.Errorf("operations still pending: %v", left)
	}
}

// TestBatchLargerThanAQuery: a step of more objects than one correlation
// query takes (state.MaxFindValues) still correlates them all, each to
// its own user.
func TestBatchLargerThanAQuery(t *testing.T) {
	t.Parallel()
	const n = 1200
	var hr, badges strings.Builder
	hr.WriteString("emp_id,login,first_name,last_name,email,state\n")
	badges.WriteString("badge,emp_id\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&hr, "e%04d,p%04d,P,%04d,p%04d@hr.example,active\n", i, i, i, i)
		fmt.Fprintf(&badges, "b%04d,e%04d\n", n+1-i, i)
	}
	badge := `
resource "badge" {
  connector = "csv"
  connection {
    path       = "badges.csv"
    identifier = "badge"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }
    reactions {
      unlinked = "link"
    }
  }
}
task "badge-import" {
  activity "import" {
    resource = resource.badge
  }
}
`
	b := setup(t, map[string]string{"hr.csv": hr.String(), "badges.csv": badges.String(),
		"main.hcl": hrResource("") + badge + "task \"hr-import\" {\n  activity \"import\" {\n    resource = resource.hr\n  }\n}\n"})
	mustSucceed(t, b.run(t, "hr-import", ""))

	rec := newCounting()
	job := taskJob(t, b, "badge-import", rec)
	job.BatchSize = n // one step
	if err := synchronization.Import(b.ctx, job); err != nil {
		t.Fatal(err)
	}
	if got := rec.lines(); !slices.Contains(got, fmt.Sprintf("situation.unlinked=%d", n)) {
		t.Fatalf("statistics %v: want every badge unlinked, then linked", got)
	}
	wrong := sqliteRows(t, b.store.Path(), `SELECT s.key, u.name FROM shadows s JOIN users u ON u.id = s.owner
		WHERE s.resource = 'badge' AND 'p' || substr('0000' || (1201 - CAST(substr(s.key, 2) AS INTEGER)), -4) != u.name`)
	linked := sqliteRows(t, b.store.Path(), `SELECT key FROM shadows WHERE resource = 'badge' AND owner IS NOT NULL`)
	if len(linked) != n || len(wrong) != 0 {
		t.Errorf("%d of %d badges linked; linked to the wrong person: %v", len(linked), n, wrong)
	}
}
