package scenario

import (
	"bufio"
	"io"
	"strconv"
)

// HR is a deterministic HR export of Rows people: emp_id, login,
// first_name, last_name, email, department, state. Most names carry Czech
// or German diacritics (logins are ASCII); every hundredth person is
// terminated.
//
// Its variant is the same export a day later: every hundredth person has
// moved to another department and changed their last name (Changed), and
// every hundredth row is gone (Deleted). The three sets never overlap, so
// a synchronization of the variant has exactly predictable statistics.
type HR struct{ Rows int }

// Which rows are terminated, changed in the variant, and missing from it.
func hrTerminated(i int) bool { return i%100 == 37 }
func hrChanged(i int) bool    { return i%100 == 50 }
func hrDeleted(i int) bool    { return i%100 == 99 }

// Terminated is how many rows have state "terminated" (in both versions).
func (h HR) Terminated() int { return h.count(hrTerminated) }

// Changed is how many rows the variant changes (department and last name).
func (h HR) Changed() int { return h.count(hrChanged) }

// Deleted is how many rows the variant leaves out.
func (h HR) Deleted() int { return h.count(hrDeleted) }

func (h HR) count(f func(int) bool) int {
	n := 0
	for i := range h.Rows {
		if f(i) {
			n++
		}
	}
	return n
}

// HRHeader is the export's header line.
const HRHeader = "emp_id,login,first_name,last_name,email,department,state\n"

// Write writes the export (variant false) or its variant to w, header
// first; a row is about 95 bytes.
func (h HR) Write(w io.Writer, variant bool) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(HRHeader)
	var line []byte
	for i := range h.Rows {
		if variant && hrDeleted(i) {
			continue
		}
		line = hrRow(line[:0], i, variant && hrChanged(i))
		bw.Write(line)
	}
	return bw.Flush()
}

// A name as written and as it appears in logins.
type hrName struct{ text, ascii string }

var (
	hrFirstNames = []hrName{
		{"Jiří", "jiri"}, {"Anna", "anna"}, {"Tomáš", "tomas"}, {"Eva", "eva"},
		{"Petr", "petr"}, {"Kateřina", "katerina"}, {"Martin", "martin"}, {"Lucie", "lucie"},
		{"Jürgen", "jurgen"}, {"Zuzana", "zuzana"}, {"David", "david"}, {"Šárka", "sarka"},
	}
	hrLastNames = []hrName{
		{"Nováček", "novacek"}, {"Svoboda", "svoboda"}, {"Dvořák", "dvorak"}, {"Černá", "cerna"},
		{"Procházka", "prochazka"}, {"Kučera", "kucera"}, {"Veselý", "vesely"}, {"Horák", "horak"},
		{"Müller", "muller"}, {"Smith", "smith"}, {"Král", "kral"}, {"Beneš", "benes"}, {"Fiala", "fiala"},
	}
	hrDepartments = []string{
		"Engineering", "Finance", "Human Resources", "Sales", "Marketing", "Operations", "Legal", "Support",
	}
)

// hrRow appends row i. The login (and so the e-mail) stays the same when
// the row changes: a person changes their last name, not their account.
func hrRow(b []byte, i int, changed bool) []byte {
	first := hrFirstNames[i%len(hrFirstNames)]
	last := hrLastNames[(i/len(hrFirstNames))%len(hrLastNames)]
	dept := hrDepartments[(i/7)%len(hrDepartments)]
	loginLast := last.ascii
	login := func(b []byte) []byte {
		b = append(b, first.ascii...)
		b = append(b, '.')
		b = append(b, loginLast...)
		b = append(b, '.')
		return strconv.AppendInt(b, int64(i), 10)
	}
	if changed {
		last = hrLastNames[(i/len(hrFirstNames)+1)%len(hrLastNames)]
		dept = hrDepartments[(i/7+1)%len(hrDepartments)]
	}
	b = append(b, 'e')
	b = appendPadded(b, i, 7)
	b = append(b, ',')
	b = login(b)
	b = append(b, ',')
	b = append(b, first.text...)
	b = append(b, ',')
	b = append(b, last.text...)
	b = append(b, ',')
	b = login(b)
	b = append(b, "@hr.example.com,"...)
	b = append(b, dept...)
	if hrTerminated(i) {
		return append(b, ",terminated\n"...)
	}
	return append(b, ",active\n"...)
}

// appendPadded appends i with leading zeros to at least width digits.
func appendPadded(b []byte, i, width int) []byte {
	s := strconv.Itoa(i)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}
