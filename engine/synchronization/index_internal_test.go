package synchronization

import (
	"fmt"
	"sync/atomic"
	"testing"
)

// The index finds every key it was given, also when more shadows come
// than were counted (the table grows); a key given twice is found at its
// last entry, as a map would; a key never given is not found.
func TestShadowIndexFindsEveryKey(t *testing.T) {
	t.Parallel()
	const n = 1000
	for _, counted := range []int{0, 10, n} {
		idx := newShadowIndex(counted)
		for i := range n {
			if err := idx.add(fmt.Sprintf("key-%d", i), indexEntry{id: int64(i)}); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range []struct {
			key string
			id  int64
		}{{"key-7", 7000}, {"", -1}} {
			if err := idx.add(k.key, indexEntry{id: k.id}); err != nil {
				t.Fatal(err)
			}
		}
		idx.seen = make([]atomic.Bool, len(idx.entries))
		for i := range n {
			want := int64(i)
			if i == 7 {
				want = 7000
			}
			e := idx.see(fmt.Sprintf("key-%d", i))
			if e == nil || e.id != want {
				t.Fatalf("counted %d: key-%d: entry %+v, want ID %d", counted, i, e, want)
			}
		}
		if e := idx.see(""); e == nil || e.id != -1 {
			t.Errorf("counted %d: the empty key: entry %+v", counted, e)
		}
		for _, missing := range []string{"key-1000", "key-", "KEY-1"} {
			if e := idx.see(missing); e != nil {
				t.Errorf("counted %d: %q found at %+v", counted, missing, e)
			}
		}
		if unseen := idx.unseen(); len(unseen) != 1 || unseen[0] != 7 {
			t.Errorf("counted %d: unseen %v, want the first entry of key-7 (ID 7)", counted, unseen)
		}
	}
}
