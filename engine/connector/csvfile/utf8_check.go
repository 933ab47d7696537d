package csvfile

import (
	"io"
	"unicode/utf8"
)

// utf8Check passes a file's bytes through, validating them as UTF-8 in
// large chunks. While nothing invalid has been read, every row handed out
// is valid and needs no check of its own; once something was, rows are
// checked field by field to find the ones at fault.
type utf8Check struct {
	r    io.Reader
	tail []byte // an incomplete character at the end of the last chunk
	bad  bool
}

func (u *utf8Check) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	if !u.bad {
		u.check(p[:n], err == io.EOF)
	}
	return n, err
}

// allValid reports whether everything read so far is valid UTF-8.
func (u *utf8Check) allValid() bool { return !u.bad }

func (u *utf8Check) check(b []byte, eof bool) {
	b = u.finishTail(b)
	if !u.bad && len(u.tail) == 0 {
		cut := len(b) - incompleteSuffix(b)
		if !utf8.Valid(b[:cut]) {
			u.bad = true
			return
		}
		u.tail = append(u.tail, b[cut:]...)
	}
	if eof && len(u.tail) > 0 {
		u.bad = true // the file ends inside a character
	}
}

// finishTail completes the character left over from the last chunk with
// the first bytes of b and returns the rest of b.
func (u *utf8Check) finishTail(b []byte) []byte {
	for len(u.tail) > 0 && len(b) > 0 {
		u.tail = append(u.tail, b[0])
		b = b[1:]
		if utf8.FullRune(u.tail) {
			u.bad = !utf8.Valid(u.tail)
			u.tail = u.tail[:0]
		}
	}
	return b
}

// incompleteSuffix returns the length of a character cut off at the end of
// b (0 when the last character is whole).
func incompleteSuffix(b []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		if c := b[len(b)-i]; utf8.RuneStart(c) {
			if c >= utf8.RuneSelf && !utf8.FullRune(b[len(b)-i:]) {
				return i
			}
			return 0
		}
	}
	return 0
}
