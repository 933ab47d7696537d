package synchronization

import (
	"encoding/hex"
	"hash/fnv"
	"slices"

	"github.com/syncline/syncline/engine/connector"
)

// attributesHash identifies a set of attribute values: two objects with
// the same values (in the same order per attribute) have the same hash.
// Attributes without values are left out, as connectors store them.
// Shadows store it as text (hashText); the pass compares the bytes.
func attributesHash(attrs connector.Attributes) [16]byte {
	names := make([]string, 0, len(attrs))
	for k, vs := range attrs {
		if len(vs) > 0 {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	h := fnv.New128a()
	var sep = []byte{0}
	for _, k := range names {
		h.Write([]byte(k))
		h.Write(sep)
		for _, v := range attrs[k] {
			h.Write([]byte(v))
			h.Write(sep)
		}
		h.Write([]byte{1})
	}
	var sum [16]byte
	h.Sum(sum[:0])
	return sum
}

// hashText is a hash as shadows store it: hexadecimal.
func hashText(h [16]byte) string {
	return hex.EncodeToString(h[:])
}
