package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
)

// SpecHash returns the hex SHA-256 of a spec serialized deterministically:
// for each attribute in byte order of its path, the path and the value as
// length-prefixed strings ("LEN:BYTES"), so no two different specs
// serialize alike. Attributes whose value is null are left out, so that a
// setting added to a schema in a newer version — null until someone sets
// it — does not change the hash of definitions stored before it existed.
// docs/plan-format.md describes the serialization.
func SpecHash(spec map[string]string) string {
	paths := make([]string, 0, len(spec))
	for p, v := range spec {
		if v != Null {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	h := sha256.New()
	buf := make([]byte, 0, 512)
	for _, p := range paths {
		buf = appendNetstring(buf, p)
		buf = appendNetstring(buf, spec[p])
		if len(buf) > 4096 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

// appendNetstring appends s as "LEN:s".
func appendNetstring(buf []byte, s string) []byte {
	buf = strconv.AppendInt(buf, int64(len(s)), 10)
	buf = append(buf, ':')
	return append(buf, s...)
}
