package connectortest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

// UnicodeValues are names and text from several scripts.
var UnicodeValues = []string{
	"Jiří Nováček", "Łukasz Żółć", "Søren Kierkegaard", "Zoë Brontë", "Straße",
	"👩‍💻 developer", "🇨🇿", "שלום עולם", "مرحبا بالعالم", "山田太郎", "Ελληνικά", "Дмитрий",
	"e\u0301 (combining)", "\u200b zero width space", "mixed עברית and English",
}

// TrickyValues hold delimiters, quotes, newlines, escapes and SQL.
var TrickyValues = []string{
	"comma, inside", "semi;colon", "pipe|bar", "tab\tinside", `double "quoted"`, `'single'`, `"`, `""`,
	"line1\nline2", "trailing newline\n", "\nleading newline", "carriage\rreturn", "crlf\r\ninside",
	" leading and trailing spaces ", `back\slash\`, `\.`, "%_wildcards%", "'); DROP TABLE accounts; --",
	`" OR ""="`, "Robert'); DROP TABLE Students;--", "`backtick`", "$1 ? :name @p1", "NULL", "null",
	strings.Repeat("long value ", 1000),
}

// TrickyIdentifiers are identifiers that need quoting or escaping.
var TrickyIdentifiers = []string{
	"x' OR '1'='1", `quote"id`, "comma,id", "semi;id", "space id", `back\slash`, "pct%_id", "new\nline",
	"jiří.nováček", "山田", "👩‍💻", "שלום", "'; DROP TABLE t; --",
}

func testUnicode(t *testing.T, s *suite) {
	s.roundTrip(t, "unicode", UnicodeValues)
}

func testTrickyValues(t *testing.T, s *suite) {
	var ok []string
	for _, v := range TrickyValues {
		if strings.ContainsAny(v, s.h.Forbidden) {
			err := s.c.Create(s.ctx, object("forbidden", AttrNote, v))
			s.wantKind(t, fmt.Sprintf("value %q with a forbidden character", v), err, connector.ErrInvalidObject)
			continue
		}
		ok = append(ok, v)
	}
	s.roundTrip(t, "tricky", ok)
}

// roundTrip writes each value into an object (by create and by update),
// reads them back with Get and Search, and checks nothing changed.
func (s *suite) roundTrip(t *testing.T, prefix string, values []string) {
	t.Helper()
	want := map[string]connector.Object{}
	for i, v := range values {
		id := fmt.Sprintf("%s%02d", prefix, i)
		o := object(id, AttrGiven, v, AttrNote, "before")
		s.create(t, o)
		if err := s.c.Update(s.ctx, id, []connector.Modification{connector.Replace(AttrNote, v)}); err != nil {
			t.Fatalf("Update with %q: %v", v, err)
		}
		read := s.h.expect(v)
		want[id] = object(id, AttrGiven, read, AttrNote, read)
	}
	for _, w := range want {
		s.get(t, w)
	}
	found := s.search(t, connector.Query{PageSize: 3})
	for _, o := range found {
		checkObject(t, o, want[o.ID])
	}
	if len(found) != len(want) {
		t.Errorf("search found %d objects, want %d", len(found), len(want))
	}
}

// expect is how v reads back.
func (h Harness) expect(v string) string {
	if h.NormalizesCRLF {
		return strings.ReplaceAll(v, "\r\n", "\n")
	}
	return v
}

func testTrickyIdentifiers(t *testing.T, s *suite) {
	for _, id := range TrickyIdentifiers {
		s.create(t, object(id, AttrGiven, "value of "+id))
	}
	for _, id := range TrickyIdentifiers {
		s.get(t, object(id, AttrGiven, "value of "+id))
		if err := s.c.Update(s.ctx, id, []connector.Modification{connector.Replace(AttrMail, "m")}); err != nil {
			t.Fatalf("Update(%q): %v", id, err)
		}
		s.get(t, object(id, AttrGiven, "value of "+id, AttrMail, "m"))
	}
	if n := len(s.search(t, connector.Query{PageSize: 2})); n != len(TrickyIdentifiers) {
		t.Errorf("search found %d objects, want %d", n, len(TrickyIdentifiers))
	}
	for _, id := range TrickyIdentifiers {
		if err := s.c.Delete(s.ctx, id); err != nil {
			t.Fatalf("Delete(%q): %v", id, err)
		}
	}
	if n := len(s.search(t, connector.Query{})); n != 0 {
		t.Errorf("after deleting all, search found %d objects", n)
	}
}
