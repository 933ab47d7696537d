package synchronization_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/synchronization"
)

// TestQueueOutcomesStoreWhatWholeOnesStore: the executor stores the
// outcome of an operation that changed only a shadow's queue and hash —
// a create done as queued, one met by an existing row and aligned, one
// refused and kept pending — as that queue and hash alone. Two imports,
// the second with a changed e-mail (an update) and a person gone
// (terminated), end with the same shadows, table and counts as when every
// outcome is stored whole.
func TestQueueOutcomesStoreWhatWholeOnesStore(t *testing.T) {
	t.Parallel()
	var first, second strings.Builder
	for _, b := range []*strings.Builder{&first, &second} {
		b.WriteString("emp_id,login,first_name,last_name,email,state\n")
	}
	for i := 1; i <= 40; i++ {
		row := fmt.Sprintf("e%03d,p%03d,P,%03d,p%03d@hr.example,active\n", i, i, i, i)
		first.WriteString(row)
		switch i {
		case 5: // terminated: no longer provisioned
			second.WriteString(strings.Replace(row, "active", "terminated", 1))
		case 7: // a new e-mail: its account is updated
			second.WriteString(strings.Replace(row, "p007@", "new007@", 1))
		default:
			second.WriteString(row)
		}
	}
	main := strings.NewReplacer(`connector = "sql"`, "connector = \"sql\"\n  write_batch_size = 10",
		`connector = "csv"`, "connector = \"csv\"\n  write_batch_size = 10").Replace(flightHR + appResource(sqliteApp, ""))

	type result struct{ shadows, table, stats []string }
	importTwice := func(t *testing.T, whole bool) result {
		b := setup(t, map[string]string{"hr.csv": first.String(), "main.hcl": main})
		// p002's row exists already (its create is aligned); p003's
		// e-mail breaks a check (its create fails and stays pending).
		app := filepath.Join(b.dir, "app.db")
		db, err := sql.Open("sqlite", app)
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			`CREATE TABLE accounts (login TEXT PRIMARY KEY, full_name TEXT, email TEXT CHECK (email <> 'p003@hr.example'))`,
			`INSERT INTO accounts VALUES ('p002', 'Someone Else', 'old@example.com')`,
		} {
			if _, err := db.Exec(stmt); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		rec := newCounting()
		job := importJob(t, b, rec)
		job.BatchSize = 10
		if whole {
			synchronization.WholeOutcomes(job)
		}
		for i, csv := range []string{first.String(), second.String()} {
			if i > 0 { // the same run, carried on over the changed export
				b.write(t, map[string]string{"hr.csv": csv})
			}
			if err := synchronization.Import(b.ctx, job); err != nil {
				t.Fatal(err)
			}
		}
		return result{
			shadows: withoutTimes(shadowLines(t, b)),
			table:   sqliteRows(t, app, "SELECT login, full_name, email FROM accounts ORDER BY login"),
			stats:   rec.lines(),
		}
	}
	queues, whole := importTwice(t, false), importTwice(t, true)
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"shadows", queues.shadows, whole.shadows},
		{"table", queues.table, whole.table},
		{"statistics", queues.stats, whole.stats},
	} {
		if d := diffLines(c.want, c.got); d != "" {
			t.Errorf("%s with queue outcomes differ from whole ones:\n%s", c.what, d)
		}
	}
	for _, want := range []string{"accounts.delete=1", "accounts.modify=1", "accounts.failed=1"} {
		if !strings.Contains(strings.Join(queues.stats, "\n"), want) {
			t.Errorf("statistics %v: want %s", queues.stats, want)
		}
	}
}

// rfc3339 matches the times stored in pending operations.
var rfc3339 = regexp.MustCompile(`\d{4}-\d\d-\d\dT[0-9:.]+Z`)

// withoutTimes are lines with their times replaced by TIME.
func withoutTimes(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = rfc3339.ReplaceAllString(l, "TIME")
	}
	return out
}
