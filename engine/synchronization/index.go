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
type shadowIndex struct {
	byKey   map[string]int32
	entries []indexEntry
	seen    []atomic.Bool // by entry, set by the workers that meet the object
}

type indexEntry struct {
	id          int64
	owner       int64
	hash        [16]byte
	hasHash     bool
	mappingHash string // interned
	situation   string // interned
	dead        bool
	pending     bool
}

func loadIndex(ctx context.Context, st *state.Store, rt *resourceType) (*shadowIndex, error) {
	idx := &shadowIndex{byKey: map[string]int32{}}
	intern := map[string]string{}
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		intern[s] = s
		return s
	}
	err := st.ShadowSummaries(ctx, rt.res.Name, rt.ot.Kind, rt.ot.Intent, func(s state.ShadowSummary) error {
		e := indexEntry{id: s.ID, owner: s.Owner, mappingHash: in(s.MappingHash), situation: in(s.Situation),
			dead: s.Dead, pending: s.HasPending}
		if n, err := hex.Decode(e.hash[:], []byte(s.Hash)); err == nil && n == len(e.hash) {
			e.hasHash = true
		}
		idx.byKey[s.Key] = int32(len(idx.entries))
		idx.entries = append(idx.entries, e)
		return nil
	})
	idx.seen = make([]atomic.Bool, len(idx.entries))
	return idx, err
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

// unseen returns the IDs of live shadows no worker met.
func (idx *shadowIndex) unseen() []int64 {
	var ids []int64
	for i := range idx.entries {
		if !idx.seen[i].Load() && !idx.entries[i].dead {
			ids = append(ids, idx.entries[i].id)
		}
	}
	return ids
}

// unchanged reports whether an object with hash needs no work: its
// shadow is live, linked, has nothing pending, and was synchronized with
// the same attributes and mappings.
func (e *indexEntry) unchanged(hash [16]byte, mappingHash string) bool {
	if e == nil || e.dead || e.owner == 0 || e.pending || !e.hasHash || e.mappingHash != mappingHash {
		return false
	}
	return hash == e.hash
}
