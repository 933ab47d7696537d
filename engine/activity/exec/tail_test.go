package exec

import "testing"

func TestTailKeepsTheEnd(t *testing.T) {
	t.Parallel()
	tl := newTail(8)
	for _, s := range []string{"abc", "defghij", "klmnopqrstuv", "w", "ž"} {
		tl.Write([]byte(s))
	}
	if got := tl.String(); got != "rstuvwž" {
		t.Errorf("tail %q", got)
	}
	if got := tl.LastLine(); got != "rstuvwž" {
		t.Errorf("last line %q", got)
	}
}
