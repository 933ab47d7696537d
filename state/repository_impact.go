package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The impact evaluation's read (engine/synchronization, Impact): every
// shadow of an object type with what deciding it reads of the repository,
// in one ordered statement, streamed.

// ImpactShadowsQuery names the object type ImpactShadowsEach reads.
type ImpactShadowsQuery struct {
	Resource, Kind, Intent string
	// MappingHash is the object type's mapping hash now: a live linked
	// shadow with this mapping hash, a full hash (32 characters) and
	// nothing pending is settled — a run skips it — and is read without
	// its owner.
	MappingHash string
}

// ImpactShadow is one shadow with its owner, as ImpactShadowsEach reads
// them. Times are not read: SyncedAt, CreatedAt and UpdatedAt are zero in
// every shadow and user it holds. The attributes are not decoded until
// Decode is called (Shadow.Pending is).
type ImpactShadow struct {
	Shadow *Shadow
	// Joined says Owner and Owned were read: the shadow is live, linked
	// and not settled, and its owner exists.
	Joined bool
	// Owner is the linked user when Joined, otherwise nil.
	Owner *User
	// Owned are all the owner's shadows when Joined, Shadow itself
	// included (the same pointer), ordered by resource, kind, intent and
	// key as RepositoryTx.ShadowsOfUser orders them.
	Owned []*Shadow
	// raw are the attributes columns not decoded yet.
	raw       []rawAttributes
	ownerAttr []byte
}

// Decode decodes the attributes of the shadow, its owner and the owner's
// shadows: ImpactShadowsEach leaves it to the caller, who can do it on
// another goroutine than the one reading.
func (is *ImpactShadow) Decode() error {
	for _, r := range is.raw {
		attrs, err := decodeShadowAttributes(r.attrs)
		if err != nil {
			return fmt.Errorf("shadow %d: attributes: %w", r.sh.ID, err)
		}
		if attrs == nil {
			attrs = map[string][]string{}
		}
		r.sh.Attributes = attrs
	}
	is.raw = nil
	if is.Owner != nil && is.Owner.Attributes == nil {
		attrs, err := decodeUserAttributes(is.ownerAttr)
		if err != nil {
			return fmt.Errorf("user %q: attributes: %w", is.Owner.Name, err)
		}
		if attrs == nil {
			attrs = map[string]string{}
		}
		is.Owner.Attributes, is.ownerAttr = attrs, nil
	}
	return nil
}

// rawAttributes is a shadow's attributes column.
type rawAttributes struct {
	sh    *Shadow
	attrs []byte
}

// ImpactShadowsEach calls fn for every shadow of the query's object type,
// by key, with its owner and the owner's shadows when the shadow is
// Joined — one statement in one read transaction, a row per owned shadow,
// instead of a read of the owners per batch. The values fn gets are its
// own. An error fn returns stops the walk and is returned as it is.
func (s *Store) ImpactShadowsEach(ctx context.Context, q ImpactShadowsQuery, fn func(ImpactShadow) error) error {
	return s.readFn(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, sqlImpactShadows, q.MappingHash, q.Resource, q.Kind, q.Intent)
		if err != nil {
			return err
		}
		defer rows.Close()
		sc := &impactScanner{q: q}
		for rows.Next() {
			done, err := sc.scan(rows)
			if err != nil {
				return err
			}
			if done.Shadow != nil {
				if err := fn(done); err != nil {
					return callbackError{err}
				}
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if last := sc.finish(); last.Shadow != nil {
			if err := fn(last); err != nil {
				return callbackError{err}
			}
		}
		return nil
	})
}

// sqlImpactShadows reads each shadow of a type (s), its owner (u) and the
// owner's other shadows (o), the owner only for a live, linked shadow that
// is not settled. The key is unique in the type, so the rows of one shadow
// come together; their order is set in Go (an ORDER BY over o's columns
// would sort every shadow's rows in a temporary b-tree).
const sqlImpactShadows = `SELECT s.id, s.identifier, s.key, s.attributes, s.hash, s.mapping_hash,
    coalesce(s.owner, 0), s.situation, s.dead, s.pending,
    u.id, u.name, u.status, u.attributes,
    o.id, o.resource, o.kind, o.intent, o.identifier, o.key, o.attributes, o.hash,
    o.mapping_hash, o.situation, o.dead, o.pending
FROM shadows s
LEFT JOIN users u ON u.id = s.owner AND s.dead = 0
    AND (s.pending IS NOT NULL OR s.mapping_hash <> ? OR length(s.hash) <> 32)
LEFT JOIN shadows o ON o.owner = u.id AND o.id <> s.id
WHERE s.resource = ? AND s.kind = ? AND s.intent = ?
ORDER BY s.key`

// impactScanner groups the rows of one shadow into an ImpactShadow.
type impactScanner struct {
	q   ImpactShadowsQuery
	cur ImpactShadow
	// The pending columns, reused row to row (NULL: nil).
	pending, otherPending sql.RawBytes
}

// scan reads one row; it returns the shadow the row ends the rows of (a
// zero ImpactShadow when the row is another of the current shadow's). The
// owner's and the other shadow's columns are NULL when there is none, which
// costs less to read than a value.
func (sc *impactScanner) scan(rows *sql.Rows) (ImpactShadow, error) {
	var (
		sh                 Shadow
		attrs, ownerAttrs  []byte
		otherAttrs         []byte
		ownerID            sql.NullInt64
		owner              [2]sql.NullString // name, status
		otherID, otherDead sql.NullInt64
		// resource, kind, intent, identifier, key, hash, mapping_hash,
		// situation
		o [8]sql.NullString
	)
	err := rows.Scan(&sh.ID, &sh.Identifier, &sh.Key, &attrs, &sh.Hash, &sh.MappingHash,
		&sh.Owner, &sh.Situation, &sh.Dead, &sc.pending,
		&ownerID, &owner[0], &owner[1], &ownerAttrs,
		&otherID, &o[0], &o[1], &o[2], &o[3], &o[4], &otherAttrs, &o[5], &o[6], &o[7], &otherDead, &sc.otherPending)
	if err != nil {
		return ImpactShadow{}, err
	}
	var done ImpactShadow
	if sc.cur.Shadow == nil || sc.cur.Shadow.ID != sh.ID {
		done = sc.finish()
		if err := sc.start(&sh, attrs, ownerID.Valid, owner[0].String, owner[1].String, ownerAttrs); err != nil {
			return ImpactShadow{}, err
		}
	}
	if otherID.Valid {
		other := &Shadow{ID: otherID.Int64, Resource: o[0].String, Kind: o[1].String, Intent: o[2].String,
			Identifier: o[3].String, Key: o[4].String, Hash: o[5].String, MappingHash: o[6].String,
			Situation: o[7].String, Dead: otherDead.Int64 != 0, Owner: sc.cur.Shadow.Owner}
		if err := decodePending(other, sc.otherPending); err != nil {
			return ImpactShadow{}, err
		}
		sc.cur.Owned = append(sc.cur.Owned, other)
		sc.cur.raw = append(sc.cur.raw, rawAttributes{other, otherAttrs})
	}
	return done, nil
}

// start begins the rows of sh (with its owner when joined).
func (sc *impactScanner) start(sh *Shadow, attrs []byte, joined bool, name, status string, ownerAttrs []byte) error {
	sh.Resource, sh.Kind, sh.Intent = sc.q.Resource, sc.q.Kind, sc.q.Intent
	if err := decodePending(sh, sc.pending); err != nil {
		return err
	}
	sc.cur = ImpactShadow{Shadow: sh, raw: []rawAttributes{{sh, attrs}}}
	if joined { // otherwise not read (or gone): the caller reads what it needs
		sc.cur.Joined, sc.cur.ownerAttr = true, ownerAttrs
		sc.cur.Owner = &User{ID: sh.Owner, Name: name, Status: status}
	}
	return nil
}

// finish returns the current shadow with its Owned complete (a zero
// ImpactShadow when there is none).
func (sc *impactScanner) finish() ImpactShadow {
	out := sc.cur
	sc.cur = ImpactShadow{}
	if out.Joined {
		out.Owned = append(out.Owned, out.Shadow)
		slices.SortFunc(out.Owned, compareShadowOrder)
	}
	return out
}

// compareShadowOrder orders shadows as ShadowsOfUser does.
func compareShadowOrder(a, b *Shadow) int {
	if c := strings.Compare(a.Resource, b.Resource); c != 0 {
		return c
	}
	if c := strings.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := strings.Compare(a.Intent, b.Intent); c != 0 {
		return c
	}
	return strings.Compare(a.Key, b.Key)
}

// decodePending decodes a shadow's pending column (nil: NULL).
func decodePending(sh *Shadow, pending sql.RawBytes) error {
	if pending == nil {
		return nil
	}
	if err := json.Unmarshal(pending, &sh.Pending); err != nil {
		return fmt.Errorf("shadow %d: pending: %w", sh.ID, err)
	}
	return nil
}
