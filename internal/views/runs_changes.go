package views

import (
	"fmt"
	"io"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// The Changes section of runs show lists what a run changed (or, in
// preview, would change), one line per user or resource object, marked as
// in a Terraform plan:
//
//	+  add (a user) or create (a resource object)
//	~  modify, enable, link, unlink or rename (old -> new)
//	!  disable
//	-  delete
//	x  an operation on a resource object that failed: nothing was
//	   written, and the line says why
//
// Everything shown comes from resources and mappings, so it is untrusted:
// names are shown with control characters escaped and values quoted (see
// runs_values.go).

// changeSymbol is the mark of a change's line.
func changeSymbol(op string) string {
	switch op {
	case "add", "create":
		return "+"
	case "disable":
		return "!"
	case "delete", "remove":
		return "-"
	default:
		return "~"
	}
}

// opShownBySymbol reports whether op's symbol says it all: the other ops
// that share ~ are named on the line.
func opShownBySymbol(op string) bool {
	switch op {
	case "add", "create", "modify", "disable", "delete", "rename":
		return true
	}
	return false
}

// writeChanges writes the Changes section, when the run recorded any.
func writeChanges(w io.Writer, r *state.Run, rc RunChanges) {
	notRecorded := changesNotRecorded(r)
	if rc.Total == 0 && notRecorded == 0 {
		return
	}
	written := r.Mode == "" || config.Mode(r.Mode) == config.ModeFull
	if written {
		fmt.Fprintln(w, "\nChanges")
	} else {
		fmt.Fprintf(w, "\nChanges (%s: nothing was written)\n", r.Mode)
	}
	writeChangeSummary(w, rc.Tally, written)
	if notRecorded > 0 {
		fmt.Fprintf(w, "  (and %d more %s made but not recorded: a run keeps its first changes only)\n",
			notRecorded, plural(int(notRecorded), "change"))
	}
	writeChangeList(w, rc.Listed, len(r.Activities) > 1)
	switch n := rc.more(); {
	case n > 0 && len(rc.Listed) > 0:
		fmt.Fprintf(w, "  … and %d more %s (%s)\n", n, plural(n, "change"), rc.ListAll)
	case n > 0:
		fmt.Fprintf(w, "  %d %s not listed (%s)\n", n, plural(n, "change"), rc.ListAll)
	}
}

// writeChangeSummary writes a line per object: "users: 3 to add, 1 to
// modify" in preview, "users: 3 added, 1 modified" once written.
func writeChangeSummary(w io.Writer, t ChangeTally, written bool) {
	objects := t.objects()
	width := 0
	for _, o := range objects {
		width = max(width, len(o)+2)
	}
	for _, o := range objects {
		var parts []string
		for _, op := range t.ops(o) {
			if written {
				parts = append(parts, fmt.Sprintf("%d %s", t[o][op], pastTense(op)))
			} else {
				parts = append(parts, fmt.Sprintf("%d to %s", t[o][op], op))
			}
		}
		fmt.Fprintf(w, "  %-*s %s\n", width, printable(o, nameLimit)+"s:", strings.Join(parts, ", "))
	}
}

// pastTense is "added" for "add", "modified" for "modify".
func pastTense(op string) string {
	switch {
	case op == failedOp:
		return op
	case op == "modify":
		return "modified"
	case strings.HasSuffix(op, "e"):
		return op + "d"
	default:
		return op + "ed"
	}
}

// writeChangeList writes one line per change, followed by its attribute
// lines; with several activities, changes are headed by their activity.
func writeChangeList(w io.Writer, changes []state.RunChange, byActivity bool) {
	for i, c := range changes {
		switch {
		case byActivity && (i == 0 || c.Activity != changes[i-1].Activity):
			fmt.Fprintf(w, "\n  activity %s:\n", printable(c.Activity, nameLimit))
		case i == 0:
			fmt.Fprintln(w)
		}
		writeChange(w, c)
	}
}

func writeChange(w io.Writer, c state.RunChange) {
	if c.Object == "membership" {
		writeMembershipChange(w, c)
		return
	}
	symbol := changeSymbol(c.Op)
	if c.Error != "" {
		symbol = "x"
	}
	fmt.Fprintf(w, "  %s %s", symbol, changeSubject(c))
	if d := changeDetail(c); d != "" {
		fmt.Fprintf(w, "  (%s)", d)
	}
	fmt.Fprintln(w)
	if c.Error != "" {
		fmt.Fprintf(w, "      %s failed: %s\n", printable(c.Op, nameLimit), message(c.Error, "        "))
	}
	creating := c.Op == "add" || c.Op == "create"
	for _, a := range c.Attributes {
		if creating && len(a.Before) == 0 {
			fmt.Fprintf(w, "      %s: %s\n", printable(a.Name, nameLimit), formatValues(a.After))
		} else {
			fmt.Fprintf(w, "      %s: %s → %s\n", printable(a.Name, nameLimit), formatValues(a.Before), formatValues(a.After))
		}
	}
}

// changeSubject names what changed: "user jiri.novacek", "account
// app/jiri.novacek", "group ldap/cn=admins".
func changeSubject(c state.RunChange) string {
	if c.Object == "user" {
		return "user " + nameOr(c.User, "(no name)")
	}
	kind := c.Kind
	if kind == "" {
		kind = c.Object
	}
	s := printable(kind, nameLimit) + " " + printable(c.Resource, nameLimit) + "/" + nameOr(c.Identifier, "(no identifier)")
	if c.NewIdentifier != "" {
		s += " -> " + nameOr(c.NewIdentifier, "(no identifier)")
	}
	return s
}

// changeDetail says why and how: for a user, the resource object it came
// from, its situation and the op ("hr e1001: unmatched → add"); for a
// resource object, its user, and the op when the symbol does not say it
// ("user jiri.novacek: link").
func changeDetail(c state.RunChange) string {
	if c.Object == "user" {
		return userChangeDetail(c)
	}
	d := "no user"
	if c.User != "" {
		d = "user " + printable(c.User, nameLimit)
	}
	if c.Intent != "" && c.Intent != config.DefaultIntent {
		d += ", intent " + printable(c.Intent, nameLimit)
	}
	if !opShownBySymbol(c.Op) {
		d += ": " + printable(c.Op, nameLimit)
	}
	return d
}

func userChangeDetail(c state.RunChange) string {
	source := ""
	if c.Resource != "" {
		source = printable(c.Resource, nameLimit) + " "
		if c.Kind != "" && c.Kind != config.DefaultKind {
			source += printable(c.Kind, nameLimit) + " "
		}
		source += nameOr(c.Identifier, "(no identifier)")
	}
	if source == "" && c.Situation == "" && opShownBySymbol(c.Op) {
		return ""
	}
	d := printable(c.Op, nameLimit)
	if c.Situation != "" {
		d = printable(c.Situation, nameLimit) + " → " + d
	}
	if source != "" {
		d = source + ": " + d
	}
	return d
}
