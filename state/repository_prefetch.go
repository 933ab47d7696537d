package state

import (
	"database/sql"
	"maps"
	"slices"
	"strings"
)

// MaxPrefetch bounds the keys one Prefetch call takes.
const MaxPrefetch = 2000

// prefetched holds what Prefetch read for the rest of a transaction:
// ShadowByKey, UserByID and ShadowsOfUser answer from it until a write
// of the same rows makes an entry stale, which drops it.
type prefetched struct {
	// byKey: every key Prefetch asked for, nil for a key without a
	// shadow.
	byKey map[shadowKey]*Shadow
	users map[int64]*User
	// keyOf: the key of each shadow byKey holds, by ID.
	keyOf map[int64]shadowKey
	// owned: the shadows of each owner read, in ShadowsOfUser's order;
	// ownerOf says which owner's list holds a shadow ID.
	owned   map[int64][]*Shadow
	ownerOf map[int64]int64
}

type shadowKey struct{ resource, kind, intent, key string }

// Prefetch reads at once, for a batch of objects of one resource object
// type about to be decided in this transaction, the shadows of keys, the
// users that own them and every shadow those users own. The per-object
// reads that follow (ShadowByKey, UserByID, ShadowsOfUser) are then
// answered from memory — one query a batch instead of three an object —
// and give what the tables would: an entry is dropped when this
// transaction writes its rows. At most MaxPrefetch keys.
func (r *RepositoryTx) Prefetch(resource, kind, intent string, keys []string) error {
	if len(keys) > MaxPrefetch {
		return r.fail(invalidRepo("Prefetch takes at most %d keys, not %d", MaxPrefetch, len(keys)))
	}
	if len(keys) == 0 {
		return nil
	}
	if err := r.flush(); err != nil {
		return r.fail(err)
	}
	p := r.pre // a second call adds to what the first read
	if p == nil {
		p = &prefetched{byKey: make(map[shadowKey]*Shadow, len(keys)), users: map[int64]*User{},
			keyOf: map[int64]shadowKey{}, owned: map[int64][]*Shadow{}, ownerOf: map[int64]int64{}}
	}
	args := []any{resource, kind, intent}
	for _, k := range keys {
		p.byKey[shadowKey{resource, kind, intent, k}] = nil
		args = append(args, k)
	}
	var owners []any
	err := r.prefetchQuery(`SELECT `+shadowColumns+` FROM shadows WHERE resource = ? AND kind = ? AND intent = ? AND key IN (%s)`,
		3, args, func(rows *sql.Rows) error {
			sh, err := scanShadow(rows)
			if err != nil {
				return err
			}
			k := shadowKey{sh.Resource, sh.Kind, sh.Intent, sh.Key}
			p.byKey[k], p.keyOf[sh.ID] = sh, k
			if sh.Owner != 0 {
				if _, seen := p.owned[sh.Owner]; !seen {
					p.owned[sh.Owner] = nil
					owners = append(owners, sh.Owner)
				}
			}
			return nil
		})
	if err != nil {
		return r.fail(err)
	}
	if len(owners) > 0 {
		err = r.prefetchQuery(`SELECT `+userColumns+` FROM users WHERE id IN (%s)`, 0, owners, func(rows *sql.Rows) error {
			u, err := scanUser(rows)
			if err == nil {
				p.users[u.ID] = u
			}
			return err
		})
		if err == nil {
			err = r.prefetchQuery(`SELECT `+shadowColumns+` FROM shadows WHERE owner IN (%s) ORDER BY owner, resource, kind, intent, key`,
				0, owners, func(rows *sql.Rows) error {
					sh, err := scanShadow(rows)
					if err == nil {
						p.owned[sh.Owner] = append(p.owned[sh.Owner], sh)
						p.ownerOf[sh.ID] = sh.Owner
					}
					return err
				})
		}
		if err != nil {
			return r.fail(err)
		}
	}
	r.pre = p
	return nil
}

// prefetchQuery runs query with its "%s" replaced by as many placeholders
// as args has values after the first fixed ones.
func (r *RepositoryTx) prefetchQuery(query string, fixed int, args []any, each func(*sql.Rows) error) error {
	st, err := r.preparedText(strings.Replace(query, "%s", placeholders(len(args)-fixed), 1))
	if err != nil {
		return err
	}
	return eachRow(r.stmtCtx, st, each, args...)
}

// shadowByKey answers ShadowByKey from the prefetched shadows: a copy,
// so that the caller may change it.
func (p *prefetched) shadowByKey(resource, kind, intent, key string) (sh *Shadow, ok bool) {
	if p == nil {
		return nil, false
	}
	sh, ok = p.byKey[shadowKey{resource, kind, intent, key}]
	return sh.clone(), ok
}

// PrefetchedNone reports whether Prefetch read key and found no shadow
// under it, and no write of this transaction has put one there since.
func (r *RepositoryTx) PrefetchedNone(resource, kind, intent, key string) bool {
	if r.pre == nil {
		return false
	}
	sh, ok := r.pre.byKey[shadowKey{resource, kind, intent, key}]
	return ok && sh == nil
}

// user answers UserByID from the prefetched users.
func (p *prefetched) user(id int64) (*User, bool) {
	if p == nil {
		return nil, false
	}
	u, ok := p.users[id]
	if !ok {
		return nil, false
	}
	c := *u
	c.Attributes = maps.Clone(u.Attributes)
	return &c, true
}

// shadowsOf answers ShadowsOfUser from the prefetched lists.
func (p *prefetched) shadowsOf(owner int64) ([]*Shadow, bool) {
	if p == nil {
		return nil, false
	}
	list, ok := p.owned[owner]
	if !ok {
		return nil, false
	}
	out := make([]*Shadow, len(list))
	for i, sh := range list {
		out[i] = sh.clone()
	}
	return out, true
}

// wroteShadow drops what a write of sh (its new values; ID 0 for a new
// one) makes stale: its key, the list of its owner and the list that held
// it before.
func (p *prefetched) wroteShadow(sh *Shadow) {
	if p == nil {
		return
	}
	delete(p.byKey, shadowKey{sh.Resource, sh.Kind, sh.Intent, sh.Key})
	delete(p.owned, sh.Owner)
	if sh.ID != 0 {
		p.forgetShadowID(sh.ID)
	}
}

// forgetShadowID drops the list that holds shadow id and the key entry
// it was read under (a rename changes its key).
func (p *prefetched) forgetShadowID(id int64) {
	if p == nil {
		return
	}
	if owner, ok := p.ownerOf[id]; ok {
		delete(p.owned, owner)
	}
	if k, ok := p.keyOf[id]; ok {
		delete(p.byKey, k)
	}
}

// wroteUser drops the user id.
func (p *prefetched) wroteUser(id int64) {
	if p != nil {
		delete(p.users, id)
	}
}

// clone copies a shadow deep enough that changing the copy's attributes
// or pending operations leaves the original as it was.
func (sh *Shadow) clone() *Shadow {
	if sh == nil {
		return nil
	}
	c := *sh
	c.Attributes = make(map[string][]string, len(sh.Attributes))
	for k, v := range sh.Attributes {
		c.Attributes[k] = slices.Clone(v)
	}
	c.Pending = slices.Clone(sh.Pending)
	return &c
}
