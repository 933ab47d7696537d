package synchronization_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// BenchmarkLiveSyncOnePercent: a sql table of n people (100,000, or
// $SYNCLINE_BENCH_LIVE_ROWS; issue 17 asks for 1,000,000) is imported, a
// live sync takes its token, 1% of the rows change (e-mail and change
// column), and one live sync run takes them: its time is the figure
// (target ≤ 2 s at 1,000,000 rows). docs/performance.md records it.
func BenchmarkLiveSyncOnePercent(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SYNCLINE_BENCH_LIVE_ROWS")); err == nil && v > 0 {
		n = v
	}
	for range b.N {
		b.StopTimer()
		bundle := setup(b, map[string]string{"main.hcl": liveBenchConfig})
		path := filepath.Join(bundle.dir, "src.db")
		db, err := sql.Open("sqlite", path)
		if err != nil {
			b.Fatal(err)
		}
		mustExec(b, db, `CREATE TABLE people (emp_id TEXT PRIMARY KEY, login TEXT, email TEXT, seq INTEGER NOT NULL);
CREATE INDEX people_seq ON people (seq)`)
		tx, _ := db.Begin()
		ins, _ := tx.Prepare(`INSERT INTO people VALUES (?, ?, ?, ?)`)
		for i := range n {
			if _, err := ins.Exec(fmt.Sprintf("e%07d", i), fmt.Sprintf("user%07d", i), fmt.Sprintf("u%07d@old.example", i), i); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		mustSucceed(b, bundle.run(b, "src-import", ""))
		mustSucceed(b, bundle.run(b, "src-live", "")) // the token of now
		mustExec(b, db, fmt.Sprintf(`UPDATE people SET email = replace(email, 'old', 'new'), seq = seq + %d WHERE seq %% 100 = 0`, n))
		db.Close()
		b.StartTimer()
		cpu0 := cpuTime()
		start := time.Now()
		run := bundle.run(b, "src-live", "")
		took := time.Since(start)
		cpu := cpuTime() - cpu0
		b.StopTimer()
		mustSucceed(b, run)
		if got := stat(run, "users.modify"); got != int64(n/100) {
			b.Fatalf("users.modify = %d, want %d", got, n/100)
		}
		b.ReportMetric(took.Seconds(), "s/run")
		b.ReportMetric(float64(n/100)/took.Seconds(), "changes/s")
		b.ReportMetric(cpu.Seconds(), "cpu-s/run")
	}
}

func mustExec(b *testing.B, db *sql.DB, stmt string) {
	b.Helper()
	if _, err := db.Exec(stmt); err != nil {
		b.Fatal(err)
	}
}

const liveBenchConfig = sqlSource + `
task "src-import" {
  activity "import" {
    resource = resource.src
  }
}
task "src-live" {
  activity "live_sync" {
    resource   = resource.src
    batch_size = 1000
  }
}
`
