package exec

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// tailSize is how much of a command's standard output and error a run
// keeps: the last 4 KiB of each.
const tailSize = 4 << 10

// tail is an io.Writer that keeps the last n bytes written to it and
// counts them all.
type tail struct {
	mu    sync.Mutex
	buf   []byte
	n     int
	total int64
}

func newTail(n int) *tail { return &tail{buf: make([]byte, 0, 2*n), n: n} }

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total += int64(len(p))
	if len(p) >= t.n {
		t.buf = append(t.buf[:0], p[len(p)-t.n:]...)
		return len(p), nil
	}
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.n {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.n:]...)
	}
	return len(p), nil
}

// String returns at most the last n bytes as valid UTF-8: a character cut
// at the start is dropped, invalid bytes become U+FFFD.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if len(b) > t.n {
		b = b[len(b)-t.n:]
	}
	cut := int64(len(b)) < t.total
	for i := 0; cut && i < utf8.UTFMax && len(b) > 0 && !utf8.RuneStart(b[0]); i++ {
		b = b[1:]
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	for len(s) > t.n {
		_, size := utf8.DecodeRuneInString(s)
		s = s[size:]
	}
	return s
}

// LastLine is the last non-empty line of the tail.
func (t *tail) LastLine() string {
	s := strings.TrimRight(t.String(), "\r\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}
