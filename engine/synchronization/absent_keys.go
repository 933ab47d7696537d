package synchronization

import (
	"context"
	"hash/maphash"
	"slices"

	"github.com/syncline/syncline/state"
)

// absentKeys answers, for the object types a pass provisions, "no shadow
// has this key" without asking the repository: provisioning asks for the
// key of every account it creates, and an import that gives every new
// user an account finds none, a query each.
//
// A type's keys are loaded once the pass has asked for keysAskedBeforeLoad
// keys of it and found no shadow (a pass that creates a few accounts keeps
// asking); the keys the pass gives shadows since are added, and so are
// the new keys of shadows its executor renames. A key not among them has
// no shadow — unless someone else stored shadows meanwhile: each of the
// pass's transactions first compares the largest shadow ID with the
// largest the pass knows of (its own shadows', or the store's when the
// keys were loaded), and from the first difference on every key is asked
// for again. Hashes of keys stand for the keys: a collision only costs a
// query.
//
// A pass uses it from one goroutine: the committer, and the executor it
// runs.
type absentKeys struct {
	seed  maphash.Seed
	types map[*resourceType]*keySet
	// lastID is the largest shadow ID the pass knows of; off is set once
	// another writer stored a shadow.
	lastID int64
	off    bool
}

// keysAskedBeforeLoad is how many keys of a type a pass asks for, finding
// no shadow, before it loads the type's keys.
const keysAskedBeforeLoad = 256

// keySet is what absentKeys knows of one type.
type keySet struct {
	asked  int
	loaded bool
	stored []uint64            // the hashes of the keys stored when loaded, sorted
	added  map[uint64]struct{} // the hashes of keys given shadows since
}

func newAbsentKeys() *absentKeys {
	return &absentKeys{seed: maphash.MakeSeed(), types: map[*resourceType]*keySet{}}
}

// absent reports whether certainly no shadow of rt has key. A nil
// absentKeys knows nothing.
func (k *absentKeys) absent(rt *resourceType, key string) bool {
	if k == nil || k.off {
		return false
	}
	ks := k.types[rt]
	if ks == nil || !ks.loaded {
		return false
	}
	h := maphash.String(k.seed, key)
	if _, ok := ks.added[h]; ok {
		return false
	}
	_, found := slices.BinarySearch(ks.stored, h)
	return !found
}

// missed counts a key of rt the repository had no shadow for.
func (k *absentKeys) missed(rt *resourceType) {
	if k == nil {
		return
	}
	k.set(rt).asked++
}

// taken records that a shadow of rt has key now (a new one, or renamed).
func (k *absentKeys) taken(rt *resourceType, key string) {
	if k == nil || rt == nil {
		return
	}
	ks := k.set(rt)
	if ks.added == nil {
		ks.added = map[uint64]struct{}{}
	}
	ks.added[maphash.String(k.seed, key)] = struct{}{}
}

func (k *absentKeys) set(rt *resourceType) *keySet {
	ks := k.types[rt]
	if ks == nil {
		ks = &keySet{}
		k.types[rt] = ks
	}
	return ks
}

// check, at the start of one of the pass's transactions, turns the keys
// off when a shadow the pass did not store came since.
func (k *absentKeys) check(r *state.RepositoryTx) error {
	if k == nil || k.off || !k.anyLoaded() {
		return nil
	}
	id, err := r.LastShadowID()
	if err != nil {
		return err
	}
	if id > k.lastID {
		k.off = true
	}
	return nil
}

// stored learns the IDs of the shadows the pass's transaction stored,
// once it committed.
func (k *absentKeys) stored(shs []storedShadow) {
	if k == nil {
		return
	}
	for _, s := range shs {
		k.lastID = max(k.lastID, s.sh.ID)
	}
}

func (k *absentKeys) anyLoaded() bool {
	for _, ks := range k.types {
		if ks.loaded {
			return true
		}
	}
	return false
}

// load loads, between the pass's transactions, the keys of the types the
// pass asked for often enough.
func (k *absentKeys) load(ctx context.Context, st *state.Store) error {
	if k == nil || k.off {
		return nil
	}
	for rt, ks := range k.types {
		if ks.loaded || ks.asked < keysAskedBeforeLoad {
			continue
		}
		var hashes []uint64
		lastID, err := st.ShadowKeys(ctx, rt.res.Name, rt.ot.Kind, rt.ot.Intent, func(key string) error {
			hashes = append(hashes, maphash.String(k.seed, key))
			return nil
		})
		if err != nil {
			return err
		}
		if k.anyLoaded() && lastID > k.lastID {
			k.off = true // another writer, since the keys loaded before
			return nil
		}
		slices.Sort(hashes)
		ks.stored, ks.loaded = hashes, true
		k.lastID = max(k.lastID, lastID)
	}
	return nil
}
