package synchronization

import (
	"context"
	"encoding/hex"
	"sync/atomic"

	"github.com/syncline/syncline/state"
)

// shadowIndex holds what a pass needs of every shadow of its object type,
// loaded once: enough to tell an unchanged object without reading the
// store, and to know afterwards which shadows were not seen.
//
// It is built for a million shadows: sized from a count before loading,
// an entry is 40 bytes with the few distinct strings (situations,
// mapping hashes) numbered, and the map from key holds an int32: about 80 bytes a shadow, where
// strings and a larger entry took 150.
type shadowIndex struct {
	byKey   map[string]int32
	entries []indexEntry
	seen    []atomic.Bool // by entry, set by the workers that meet the object
	strings []string      // situations and mapping hashes, by number
}

type indexEntry struct {
	id          int64
	hash        [16]byte
	mappingHash uint32 // in strings
	situation   uint32 // in strings
	flags       entryFlags
}

type entryFlags uint8

const (
	entryLinked entryFlags = 1 << iota // has an owner
	entryHasHash
	entryDead
	entryPending
)

func loadIndex(ctx context.Context, st *state.Store, rt *resourceType) (*shadowIndex, error) {
	n, err := st.ShadowCount(ctx, rt.res.Name, rt.ot.Kind, rt.ot.Intent)
	if err != nil {
		return nil, err
	}
	idx := &shadowIndex{byKey: make(map[string]int32, n), entries: make([]indexEntry, 0, n)}
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
		e := indexEntry{id: s.ID, mappingHash: number(s.MappingHash), situation: number(s.Situation)}
		e.flags = flagIf(s.Owner != 0, entryLinked) | flagIf(s.Dead, entryDead) | flagIf(s.HasPending, entryPending)
		if n, err := hex.Decode(e.hash[:], []byte(s.Hash)); err == nil && n == len(e.hash) {
			e.flags |= entryHasHash
		}
		idx.byKey[s.Key] = int32(len(idx.entries))
		idx.entries = append(idx.entries, e)
		return nil
	})
	idx.seen = make([]atomic.Bool, len(idx.entries))
	return idx, err
}

func flagIf(ok bool, f entryFlags) entryFlags {
	if ok {
		return f
	}
	return 0
}

// see returns the entry of key, or nil, and marks it seen.
func (idx *shadowIndex) see(key string) *indexEntry {
	i, ok := idx.byKey[key]
	if !ok {
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
