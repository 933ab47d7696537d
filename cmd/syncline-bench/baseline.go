package main

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// baseline is the sqlite3 shell importing the same CSV file into a plain
// table: writing the rows to SQLite with nothing else done.
type baseline struct {
	Tool          string  `json:"tool,omitempty"` // "sqlite3 3.40.1"
	Rows          int64   `json:"rows,omitempty"`
	Seconds       float64 `json:"seconds,omitempty"`
	RowsPerSecond float64 `json:"rows_per_second,omitempty"`
	// Skipped says why there is no baseline.
	Skipped string `json:"skipped,omitempty"`
}

// sqliteBaseline times `sqlite3 DB ".mode csv" ".import CSV t"` into a
// new database; the header line names the table's columns.
func sqliteBaseline(ctx context.Context, csvPath, dbPath string, rows int) baseline {
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		return baseline{Skipped: "sqlite3 is not installed (not found on PATH)"}
	}
	if strings.ContainsAny(csvPath, "\"\\") {
		return baseline{Skipped: fmt.Sprintf("the work directory %q needs quoting sqlite3 does not do", csvPath)}
	}
	if err := removeStore(dbPath); err != nil {
		return baseline{Skipped: err.Error()}
	}
	b := baseline{Tool: sqliteVersion(ctx, bin)}
	start := time.Now()
	out, err := exec.CommandContext(ctx, bin, dbPath, ".mode csv", `.import "`+csvPath+`" t`).CombinedOutput()
	elapsed := time.Since(start)
	if err != nil || len(out) > 0 {
		return baseline{Skipped: fmt.Sprintf("sqlite3 .import failed: %v %s", err, strings.TrimSpace(string(out)))}
	}
	out, err = exec.CommandContext(ctx, bin, dbPath, "SELECT count(*) FROM t").Output()
	n, _ := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil || n != int64(rows) {
		return baseline{Skipped: fmt.Sprintf("sqlite3 imported %d rows, not %d (%v)", n, rows, err)}
	}
	b.Rows, b.Seconds, b.RowsPerSecond = n, elapsed.Seconds(), float64(n)/elapsed.Seconds()
	return b
}

// sqliteVersion returns "sqlite3 3.40.1", or "sqlite3" if it cannot tell.
func sqliteVersion(ctx context.Context, bin string) string {
	out, err := exec.CommandContext(ctx, bin, "-version").Output()
	if f := strings.Fields(string(out)); err == nil && len(f) > 0 {
		return "sqlite3 " + f[0]
	}
	return "sqlite3"
}
