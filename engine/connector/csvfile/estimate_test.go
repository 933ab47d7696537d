package csvfile_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/csvfile"
)

// hrFile is an HR export of n people whose rows grow longer down the file,
// as generated identifiers and names do, with a quoted note spanning two
// lines on every hundredth row.
func hrFile(n int) string {
	var b strings.Builder
	b.WriteString("emp_id,first_name,last_name,email,note\n")
	for i := 1; i <= n; i++ {
		note := ""
		if i%100 == 0 {
			note = "\"moved, twice\nthis year\""
		}
		fmt.Fprintf(&b, "e%d,First%d,Last%d,first%d.last%d@hr.example.com,%s\n", i, i, i, i, i, note)
	}
	return b.String()
}

// TestEstimate: a file of up to a thousand rows is counted exactly; a
// larger one is estimated from its size within 5% of its row count,
// though its rows grow longer and some hold line breaks.
func TestEstimate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rows      int
		exact     bool
		tolerance float64
	}{
		{0, true, 0},
		{1000, true, 0},
		{5000, false, 0.05},
		{200000, false, 0.05},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.rows), func(t *testing.T) {
			t.Parallel()
			c, _ := open(t, hrFile(tt.rows), csvfile.Config{})
			ids, errs := searchAll(c)
			if len(ids) != tt.rows || len(errs) > 0 {
				t.Fatalf("search: %d objects, errors %q; want %d", len(ids), errs, tt.rows)
			}
			n, exact, err := c.Estimate(context.Background(), connector.Query{})
			if err != nil {
				t.Fatal(err)
			}
			off := float64(n-int64(tt.rows)) / float64(max(tt.rows, 1))
			if exact != tt.exact || off > tt.tolerance || off < -tt.tolerance {
				t.Errorf("Estimate = %d (exact %v), want %d (exact %v) within %.0f%%", n, exact, tt.rows, tt.exact, tt.tolerance*100)
			}
		})
	}
}

// TestEstimateMissingFile: a file that cannot be read has no estimate.
func TestEstimateMissingFile(t *testing.T) {
	t.Parallel()
	c, err := csvfile.New("hr", csvfile.Config{Path: "/nonexistent/hr.csv", Identifier: "emp_id"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Estimate(context.Background(), connector.Query{}); !errors.Is(err, connector.ErrUnreachable) {
		t.Errorf("Estimate of a missing file: %v, want ErrUnreachable", err)
	}
}
