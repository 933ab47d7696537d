package views

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Values and names in runs show come from resources: they may hold
// newlines, terminal escapes, invalid UTF-8 or megabytes of text. What is
// printed never holds a control character, and a long text is cut short
// with its length said (the JSON has it whole).

const (
	nameLimit = 200 // characters of a name or identifier shown
	// ValueLimit is how many characters of an attribute value runs show
	// shows.
	ValueLimit   = 200
	messageLimit = 1000 // characters of an error message shown
	valuesShown  = 10   // values of a multi-valued attribute shown
)

// formatValues renders an attribute's values: (none), "one", or
// ["a", "b"].
func formatValues(values []string) string {
	switch len(values) {
	case 0:
		return "(none)"
	case 1:
		return quoteValue(values[0])
	}
	quoted := make([]string, 0, min(len(values), valuesShown)+1)
	for _, v := range values[:min(len(values), valuesShown)] {
		quoted = append(quoted, quoteValue(v))
	}
	if n := len(values) - valuesShown; n > 0 {
		quoted = append(quoted, fmt.Sprintf("… %d more", n))
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// quoteValue quotes v as Go does (control characters, invalid UTF-8 and
// unprintable runes escaped), cut after valueLimit characters.
func quoteValue(v string) string {
	prefix, n, cut := truncate(v, ValueLimit)
	if !cut {
		return strconv.Quote(v)
	}
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(prefix), n)
}

// printable is s with control characters and other unprintable runes
// escaped as in a Go string ("\n", "\x1b", "\u202e"), cut after limit
// characters. Unlike quoteValue it adds no quotes, for names.
func printable(s string, limit int) string {
	prefix, n, cut := truncate(s, limit)
	var b strings.Builder
	for i := 0; i < len(prefix); {
		r, size := utf8.DecodeRuneInString(prefix[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, prefix[i])
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	if cut {
		fmt.Fprintf(&b, "… (%d characters)", n)
	}
	return b.String()
}

// nameOr is printable(s) for a name, or missing when s is empty.
func nameOr(s, missing string) string {
	if s == "" {
		return missing
	}
	return printable(s, nameLimit)
}

// truncate returns the first limit characters (runes) of s, how many s
// has, and whether it has more than limit.
func truncate(s string, limit int) (prefix string, n int, cut bool) {
	n = utf8.RuneCountInString(s)
	if n <= limit {
		return s, n, false
	}
	i := 0
	for range limit {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], n, true
}

// message is an error message for a line indented by indent: untrusted
// like the names (control characters escaped, cut at messageLimit), but
// its own line breaks — the hints errors end with — start new lines at
// the same indentation instead of showing as \n.
func message(s, indent string) string {
	s, n, cut := truncate(s, messageLimit)
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = printable(l, messageLimit)
	}
	out := strings.Join(lines, "\n"+indent)
	if cut {
		out += fmt.Sprintf("… (%d characters)", n)
	}
	return out
}
