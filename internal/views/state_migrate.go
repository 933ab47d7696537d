package views

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/syncline/syncline/state"
)

// StateMigrated writes what syncline state migrate copied: each table's
// rows and the start of the content hash both stores agreed on.
func StateMigrated(w io.Writer, r *state.CopyReport) {
	fmt.Fprintf(w, "Copied the state %s\n    to %s\n\n", r.From, r.To)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tROWS\tSHA-256")
	var total int64
	for _, t := range r.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%.12s\n", t.Name, t.Rows, t.Hash)
		total += t.Rows
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\n%d rows in %d tables, each read back from the new state and checked against the old.\n", total, len(r.Tables))
	fmt.Fprintln(w, "Name the new state with -state, or in the syncline block's state setting, to use it.")
}
