package csvfile

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// TestUTF8CheckChunks feeds texts one byte, a few bytes and all at once,
// so that characters are cut at every position.
func TestUTF8CheckChunks(t *testing.T) {
	t.Parallel()
	texts := []string{"", "ascii", "Jiří Nováček 👩‍💻 שלום", "\xef\xbb\xbfbom", "bad \xff byte", "cut at end \xc5", "\xe2\x82", "ok €", "\xed\xa0\x80 surrogate"}
	for _, text := range texts {
		for _, r := range []io.Reader{
			iotest.OneByteReader(bytes.NewReader([]byte(text))),
			iotest.HalfReader(bytes.NewReader([]byte(text))),
			bytes.NewReader([]byte(text)),
		} {
			u := &utf8Check{r: r}
			if _, err := io.ReadAll(u); err != nil {
				t.Fatal(err)
			}
			if got, want := u.allValid(), utf8.ValidString(text); got != want {
				t.Errorf("%q: allValid %v, want %v", text, got, want)
			}
		}
	}
}
