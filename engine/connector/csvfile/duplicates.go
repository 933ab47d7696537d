package csvfile

import (
	"fmt"
	"hash/maphash"

	"github.com/syncline/syncline/engine/connector"
)

// idIndex remembers the identifiers seen so far in a scan as 64-bit hashes
// with their line, in an open-addressing table: 12 bytes a slot, at most
// 70% full, about one cache miss a row. No identifier or row is held, so a
// million-row file needs about 25 MB for it. A scan sizes it from the file
// size once it has seen the first rows, so it rarely grows.
//
// The seed is random per scan. Two different identifiers with the same
// 64-bit hash (odds about 1 in 10^7 for a million rows) would be reported
// as a duplicate once, and not again on the next scan.
type idIndex struct {
	seed  maphash.Seed
	keys  []uint64 // 0: empty slot
	lines []uint32
	used  int
}

const minIndexSlots = 1 << 10

func newIDIndex() *idIndex {
	return &idIndex{seed: maphash.MakeSeed()}
}

// maxLoad is the share of slots in use before the table doubles, in tenths.
const maxLoad = 7

// fits reports whether n identifiers fit in slots.
func fits(n, slots int) bool { return 10*n <= maxLoad*slots }

// reserve sizes the table for n identifiers.
func (x *idIndex) reserve(n int) {
	slots := minIndexSlots
	for !fits(n, slots) {
		slots *= 2
	}
	if slots > len(x.keys) {
		x.rehash(slots)
	}
}

// add records id on line and returns the line it was first seen on, or 0.
func (x *idIndex) add(id string, line int) int {
	if !fits(x.used+1, len(x.keys)) {
		x.rehash(max(minIndexSlots, 2*len(x.keys)))
	}
	h := maphash.String(x.seed, id)
	if h == 0 {
		h = 1 // 0 marks an empty slot
	}
	mask := uint64(len(x.keys) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch x.keys[i] {
		case 0:
			x.keys[i], x.lines[i] = h, uint32(min(line, 1<<32-1))
			x.used++
			return 0
		case h:
			return int(x.lines[i])
		}
	}
}

func (x *idIndex) rehash(slots int) {
	keys, lines := x.keys, x.lines
	x.keys, x.lines = make([]uint64, slots), make([]uint32, slots)
	mask := uint64(slots - 1)
	for j, h := range keys {
		if h == 0 {
			continue
		}
		i := h & mask
		for x.keys[i] != 0 {
			i = (i + 1) & mask
		}
		x.keys[i], x.lines[i] = h, lines[j]
	}
}

// checkDuplicate records rw's identifier and reports a second row with it.
func (rr *rowReader) checkDuplicate(seen *idIndex, rw row) error {
	if first := seen.add(rw.id, rw.line); first > 0 {
		e := rr.c.duplicateError(rr.op, rw.id, first, rw.line)
		e.Line = rw.line
		return e
	}
	return nil
}

// duplicateError says that identifier id is on two lines.
func (c *Connector) duplicateError(op, id string, first, second int) *connector.Error {
	return c.errs.Object(connector.ErrInvalidObject, op, id,
		fmt.Errorf("duplicate identifier: lines %d and %d both have %s %q", first, second, c.cfg.Identifier, id),
		"Identifiers must be unique; remove or renumber one of the rows.")
}
