package ldap

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// The change feed reads modifyTimestamp, which the server sets on every
// add and modify to the second, and entryCSN, which it sets at the same
// time to the microsecond with a change count and the server's ID, so
// that CSNs order changes and name each version of an entry.
//
// A position is the time of the newest change reported, and the CSNs of
// the versions already reported with a time in the overlap window before
// it. A call reads every entry modified at or after (time - overlap),
// skips the versions the position has seen, and reports the rest in CSN
// order. So a change in the same second as the last one reported (equal
// timestamps), or one that reaches this server late with an earlier
// timestamp (a replica's clock behind by less than the overlap), is still
// reported, once. Deleted entries leave nothing behind and are not
// reported: a reconciliation finds them.

const tokenPrefix = "ldap1:"

// position is what a token holds.
type position struct {
	Time string   `json:"t,omitempty"` // the newest change's modifyTimestamp (generalized time), "" at the start
	Seen []string `json:"s,omitempty"` // hashes of the versions seen in the window, sorted
}

func (p position) token() string {
	b, _ := json.Marshal(p)
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

func parsePosition(token string) (position, error) {
	var p position
	body, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return p, fmt.Errorf("%q is not an ldap change token", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || json.Unmarshal(raw, &p) != nil {
		return p, fmt.Errorf("%q is not an ldap change token", token)
	}
	if p.Time != "" {
		if _, err := parseGeneralizedTime(p.Time); err != nil {
			return p, fmt.Errorf("the ldap change token's time %q is not a time", p.Time)
		}
	}
	return p, nil
}

// version is one entry as the feed read it.
type version struct {
	entry    *goldap.Entry
	csn      string
	modified time.Time
	created  time.Time
	hash     string
}

// Changes reports the entries of the default class modified since token,
// in entryCSN order, as creates (created after the position's second),
// updates (created before it) or upserts (in the same second). Changes
// carry no token of their own: only the token Changes returns resumes.
func (c *Connector) Changes(ctx context.Context, token string, fn func(connector.Change) error) (string, error) {
	var pos position
	if token != "" {
		var err error
		if pos, err = parsePosition(token); err != nil {
			return "", c.errs.New(connector.ErrInvalidToken, "changes", err, "Start live sync again from an empty token after a reconciliation.")
		}
	}
	versions, err := c.window(ctx, pos)
	if err != nil {
		return "", err
	}
	seen := map[string]bool{}
	for _, h := range pos.Seen {
		seen[h] = true
	}
	after, _ := parseGeneralizedTime(pos.Time)
	for _, v := range versions {
		if seen[v.hash] || token == "" {
			continue
		}
		ch, err := c.change(v, pos, after)
		if err != nil {
			return "", err
		}
		if err := fn(ch); err != nil {
			return "", err
		}
	}
	return c.next(pos, versions).token(), nil
}

// window reads the entries modified at or after the position's time less
// the overlap (every entry at the start), sorted by CSN.
func (c *Connector) window(ctx context.Context, pos position) ([]version, error) {
	filter := c.filter(c.class, "")
	if t, err := parseGeneralizedTime(pos.Time); err == nil && pos.Time != "" {
		from := t.Add(-c.cfg.FeedOverlap).UTC().Format(generalizedTime)
		filter = filter[:len(filter)-1] + "(modifyTimestamp>=" + from + "))"
	}
	attrs := c.attributes("entryCSN", "modifyTimestamp", "createTimestamp")
	var out []version
	var failure error
	c.pages(ctx, "changes", filter, attrs, connector.DefaultPageSize, func(e *goldap.Entry) bool {
		v, err := c.readVersion(e)
		if err != nil {
			failure = err
			return false
		}
		out = append(out, v)
		return true
	}, func(err error) { failure = err })
	if failure != nil {
		return nil, failure
	}
	slices.SortFunc(out, func(a, b version) int { return cmp.Or(cmp.Compare(a.csn, b.csn), cmp.Compare(a.entry.DN, b.entry.DN)) })
	return out, nil
}

func (c *Connector) readVersion(e *goldap.Entry) (version, error) {
	v := version{entry: e, csn: e.GetAttributeValue("entryCSN")}
	var err error
	if v.modified, err = parseGeneralizedTime(e.GetAttributeValue("modifyTimestamp")); err != nil || v.csn == "" {
		return v, c.errs.New(connector.ErrUnsupported, "changes", fmt.Errorf("entry %s has no modifyTimestamp or entryCSN", e.DN),
			"The change feed needs the server to keep modifyTimestamp and entryCSN (OpenLDAP: olcLastMod TRUE, the default).")
	}
	v.created, _ = parseGeneralizedTime(e.GetAttributeValue("createTimestamp"))
	h := fnv.New64a()
	h.Write([]byte(e.DN + "\x00" + v.csn))
	v.hash = strconv.FormatUint(h.Sum64(), 36)
	return v, nil
}

// change is the change a version reports.
func (c *Connector) change(v version, pos position, after time.Time) (connector.Change, error) {
	obj, err := c.object("changes", v.entry)
	if err != nil {
		return connector.Change{}, err
	}
	typ := connector.ChangeUpsert
	switch {
	case pos.Time == "" || v.created.After(after):
		typ = connector.ChangeCreate
	case !v.created.IsZero() && v.created.Before(after):
		typ = connector.ChangeUpdate
	}
	return connector.Change{Type: typ, ID: obj.ID, Object: obj}, nil
}

// next is the position after versions: the newest time among them (or
// the old one), and every version read within the overlap before it.
func (c *Connector) next(pos position, versions []version) position {
	newest, _ := parseGeneralizedTime(pos.Time)
	for _, v := range versions {
		if v.modified.After(newest) {
			newest = v.modified
		}
	}
	if newest.IsZero() {
		return position{}
	}
	out := position{Time: newest.UTC().Format(generalizedTime)}
	from := newest.Add(-c.cfg.FeedOverlap)
	for _, v := range versions {
		if !v.modified.Before(from) {
			out.Seen = append(out.Seen, v.hash)
		}
	}
	slices.Sort(out.Seen)
	return out
}

const generalizedTime = "20060102150405Z"

// parseGeneralizedTime reads the generalized time of modifyTimestamp
// ("20240102030405Z", with or without a fraction of a second).
func parseGeneralizedTime(s string) (time.Time, error) {
	for _, layout := range []string{generalizedTime, "20060102150405.999999Z", "20060102150405-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a generalized time", s)
}
