package synchronization

import (
	"context"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"math"
	"sync/atomic"

	"github.com/syncline/syncline/state"
)

// shadowIndex holds what a pass needs of every shadow of its object type,
// loaded once: enough to tell an unchanged object without reading the
// store, and to know afterwards which shadows were not seen.
//
// It is built for a million shadows and holds no pointer per shadow, so
// the garbage collector never walks it: sized from a count before
// loading, an entry is 40 bytes with the few distinct strings
// (situations, mapping hashes) numbered, the keys are one byte slice (an
// entry keeps where its key ends; it starts where the previous one's
// ends), and keys are found through an open-addressing table of entry
// numbers: about 60 bytes a shadow, where a map from key strings took
// 90 and strings and a larger entry 150.
type shadowIndex struct {
	slots   []int32 // entry number + 1 (0: free), at the key's hash, probed linearly
	keys    []byte  // every entry's key, in entry order
	entries []indexEntry
	seen    []atomic.Bool // by entry, set by the workers that meet the object
	strings []string      // situations and mapping hashes, by number
	seed    maphash.Seed
}

type indexEntry struct {
	id          int64
	hash        [16]byte
	mappingHash uint32 // in strings
	situation   uint32 // in strings
	keyEnd      uint32 // in keys
	flags       entryFlags
}

type entryFlags uint8

const (
	entryLinked entryFlags = 1 << iota // has an owner
	entryHasHash
	entryDead
	entryPending
)

// maxIndexKeyBytes bounds the keys of one index (an entry keeps where its
// key ends in 32 bits).
const maxIndexKeyBytes = math.MaxUint32

func loadIndex(ctx context.Context, st *state.Store, rt *resourceType) (*shadowIndex, error) {
	return loadIndexOf(ctx, st, rt, nil)
}

// loadIndexOf loads the shadows whose keys keep keeps (nil: every one):
// one bucket's.
func loadIndexOf(ctx context.Context, st *state.Store, rt *resourceType, keeps func(string) bool) (*shadowIndex, error) {
	n, err := st.ShadowCount(ctx, rt.res.Name, rt.ot.Kind, rt.ot.Intent)
	if err != nil {
		return nil, err
	}
	idx := newShadowIndex(int(n))
	numbers := map[string]uint32{}
	number := func(s string) uint32 {
		if v, ok := numbers[s]; ok {
			return v
		}
		v := uint32(len(idx.strings))
		numbers[s] = v
		idx.strings = append(idx.strings, s)
		return v
	}
	err = st.ShadowSummaries(ctx, rt.res.Name, rt.ot.Kind, rt.ot.Intent, func(s state.ShadowSummary) error {
		if keeps != nil && !keeps(s.Key) {
			return nil
		}
		e := indexEntry{id: s.ID, mappingHash: number(s.MappingHash), situation: number(s.Situation)}
		e.flags = flagIf(s.Owner != 0, entryLinked) | flagIf(s.Dead, entryDead) | flagIf(s.HasPending, entryPending)
		if n, err := hex.Decode(e.hash[:], []byte(s.Hash)); err == nil && n == len(e.hash) {
			e.flags |= entryHasHash
		}
		return idx.add(s.Key, e)
	})
	idx.seen = make([]atomic.Bool, len(idx.entries))
	return idx, err
}

// newShadowIndex returns an empty index sized for n shadows.
func newShadowIndex(n int) *shadowIndex {
	idx := &shadowIndex{entries: make([]indexEntry, 0, n), seed: maphash.MakeSeed()}
	idx.keys = make([]byte, 0, 12*n)
	idx.slots = make([]int32, slotsFor(n))
	return idx
}

// slotsFor is the size of a table that holds n entries at most half full.
func slotsFor(n int) int {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return size
}

// add adds the entry of key; a key added before is then found at e.
func (idx *shadowIndex) add(key string, e indexEntry) error {
	if len(idx.keys)+len(key) > maxIndexKeyBytes || len(idx.entries) >= math.MaxInt32-1 {
		return fmt.Errorf("the shadow index is full: more than %d shadows or %d bytes of keys", math.MaxInt32-1, maxIndexKeyBytes)
	}
	if 2*(len(idx.entries)+1) > len(idx.slots) {
		idx.grow()
	}
	idx.keys = append(idx.keys, key...)
	e.keyEnd = uint32(len(idx.keys))
	idx.entries = append(idx.entries, e)
	slot, _ := idx.find(key)
	idx.slots[slot] = int32(len(idx.entries))
	return nil
}

// grow doubles the table: more shadows came than were counted.
func (idx *shadowIndex) grow() {
	old := idx.slots
	idx.slots = make([]int32, 2*len(old))
	for _, n := range old {
		if n == 0 {
			continue
		}
		slot, _ := idx.find(string(idx.key(int(n - 1))))
		idx.slots[slot] = n
	}
}

// key is the key of entry i.
func (idx *shadowIndex) key(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = idx.entries[i-1].keyEnd
	}
	return idx.keys[start:idx.entries[i].keyEnd]
}

// find returns key's slot in the table and its entry number, or the free
// slot where it would go and -1.
func (idx *shadowIndex) find(key string) (slot int, entry int) {
	mask := len(idx.slots) - 1
	slot = int(maphash.String(idx.seed, key)) & mask
	for {
		n := idx.slots[slot]
		if n == 0 {
			return slot, -1
		}
		if string(idx.key(int(n-1))) == key { // compared without a copy
			return slot, int(n - 1)
		}
		slot = (slot + 1) & mask
	}
}

func flagIf(ok bool, f entryFlags) entryFlags {
	if ok {
		return f
	}
	return 0
}

// see returns the entry of key, or nil, and marks it seen.
func (idx *shadowIndex) see(key string) *indexEntry {
	_, i := idx.find(key)
	if i < 0 {
		return nil
	}
	idx.seen[i].Store(true)
	return &idx.entries[i]
}

// situation is the situation e's shadow was left in; "" for none.
func (idx *shadowIndex) situation(e *indexEntry) string {
	if e == nil {
		return ""
	}
	return idx.strings[e.situation]
}

// unseen returns the IDs of live shadows no worker met.
func (idx *shadowIndex) unseen() []int64 {
	var ids []int64
	for i := range idx.entries {
		if !idx.seen[i].Load() && idx.entries[i].flags&entryDead == 0 {
			ids = append(ids, idx.entries[i].id)
		}
	}
	return ids
}

// unchanged reports whether an object with hash needs no work: its
// shadow (e) is live, linked, has nothing pending, and was synchronized
// with the same attributes and mappings.
func (idx *shadowIndex) unchanged(e *indexEntry, hash [16]byte, mappingHash string) bool {
	if e == nil || e.flags&(entryLinked|entryHasHash|entryDead|entryPending) != entryLinked|entryHasHash {
		return false
	}
	return hash == e.hash && idx.strings[e.mappingHash] == mappingHash
}
