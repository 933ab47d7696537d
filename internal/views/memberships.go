package views

import (
	"fmt"
	"io"

	"github.com/syncline/syncline/state"
)

// Memberships: a run that changes which groups accounts are in records a
// change of object "membership" per member value, its Identifier the
// group's name, its one attribute the member value. runs show writes one
// line for each:
//
//	+ member dir/engineering <- jiri.novacek
//	- member dir/sales <- jiri.novacek
//	~ member dir/admins <- jiri.novacek  (tolerated: not given by the association, kept)
//
// and the summaries count them as "memberships 2 added, 1 removed".

// membershipVerbs are the membership statistics, as summaries name them.
var membershipVerbs = [][2]string{{"add", "added"}, {"remove", "removed"}, {"tolerate", "tolerated"}}

// membershipWords is "2 added, 1 removed" for a run's statistics.
func membershipWords(stats map[string]int64) string {
	return changeWords(stats, "memberships.", membershipVerbs)
}

// writeMembershipChange writes a membership change's line.
func writeMembershipChange(w io.Writer, c state.RunChange) {
	symbol := changeSymbol(c.Op)
	if c.Error != "" {
		symbol = "x"
	}
	who := nameOr(c.User, "(no user)")
	fmt.Fprintf(w, "  %s member %s/%s <- %s", symbol, printable(c.Resource, nameLimit), nameOr(c.Identifier, "(no group)"), who)
	var details []string
	if c.Op == "tolerate" {
		details = append(details, "tolerated: not given by the association, kept")
	}
	for _, a := range c.Attributes {
		vs := a.After
		if len(vs) == 0 {
			vs = a.Before
		}
		details = append(details, printable(a.Name, nameLimit)+" "+formatValues(vs))
	}
	if len(details) > 0 {
		fmt.Fprintf(w, "  (%s)", joinNonEmpty("; ", details...))
	}
	fmt.Fprintln(w)
	if c.Error != "" {
		fmt.Fprintf(w, "      %s failed: %s\n", printable(c.Op, nameLimit), message(c.Error, "        "))
	}
}
