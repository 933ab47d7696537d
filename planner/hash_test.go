package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// A specHasher hashing specs in turn gives SpecHash's answer for each,
// whether the next spec has the same paths as the last or other ones of
// the same number, nulls among them or not.
func TestSpecHasherIsSpecHash(t *testing.T) {
	t.Parallel()
	specs := []map[string]string{
		{"a": "1", "b": "2"},
		{"a": "1", "b": "3"},
		{"a": "1", "b": Null},
		{"a": "1", "c": "2"},
		{"a": "1", "b": Null},
		{"a": "1", "b": "2", "c": Null},
		{"a": "1", "b": "2"},
		{},
		{"b": "2", "a": "1", "c": "3"},
		{"c": "3", "a": "1", "b": "2"},
		{"a": Null},
		{"a": "x"},
		// The same paths, null ones included, in turn: the sorted paths
		// are reused, and whichever values are null are left out.
		{"a": "1", "b": Null, "c": "3"},
		{"a": "2", "b": Null, "c": "3"},
		{"a": "2", "b": "x", "c": Null},
		{"a": Null, "b": Null, "c": Null},
		{"a": "2", "b": "x", "c": "y"},
		{"a": "2", "b": "x", "d": Null},
		{"a": "2", "b": "x", "c": Null},
	}
	var h specHasher
	for i, spec := range specs {
		want := referenceHash(spec)
		if got := h.hash(spec); got != want {
			t.Errorf("spec %d %v: %s, want %s", i, spec, got, want)
		}
		if got := SpecHash(spec); got != want {
			t.Errorf("SpecHash of spec %d %v: %s, want %s", i, spec, got, want)
		}
	}
}

// referenceHash is the serialization docs/plan-format.md describes.
func referenceHash(spec map[string]string) string {
	var paths []string
	for p, v := range spec {
		if v != Null {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&b, "%d:%s%d:%s", len(p), p, len(spec[p]), spec[p])
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}
