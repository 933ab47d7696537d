package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
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
	var h specHasher
	return h.hash(spec)
}

// specHasher is SpecHash for many specs in turn, keeping the sorted paths
// of the last one, null values' included: the next spec with the same
// paths, as most definitions of a kind have (their unset settings null
// alike), is not sorted again. A spec with as many entries as those paths,
// all of them present, has just those paths.
type specHasher struct {
	paths []string
	buf   []byte
}

func (h *specHasher) hash(spec map[string]string) string {
	sum := sha256.New()
	if len(spec) == len(h.paths) && h.write(sum, spec) {
		return hex.EncodeToString(sum.Sum(nil))
	}
	h.paths = h.paths[:0]
	for p := range spec {
		h.paths = append(h.paths, p)
	}
	slices.Sort(h.paths)
	h.write(sum, spec)
	return hex.EncodeToString(sum.Sum(nil))
}

// write writes spec's paths and values in the order of h.paths to sum,
// leaving out null values; false, with nothing written, when spec has no
// value for one of them.
func (h *specHasher) write(sum hash.Hash, spec map[string]string) bool {
	buf := h.buf[:0]
	defer func() { h.buf = buf[:0] }()
	for _, p := range h.paths {
		v, ok := spec[p]
		if !ok {
			return false
		}
		if v == Null {
			continue
		}
		buf = appendNetstring(buf, p)
		buf = appendNetstring(buf, v)
	}
	sum.Write(buf)
	return true
}

// appendNetstring appends s as "LEN:s".
func appendNetstring(buf []byte, s string) []byte {
	buf = strconv.AppendInt(buf, int64(len(s)), 10)
	buf = append(buf, ':')
	return append(buf, s...)
}
