package synchronization

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// Write-only attributes (LDAP's userPassword: connector.WriteOnlyFunc) are
// written and never read back. Syncline never keeps their values: a
// shadow caches a fingerprint of what was written, which is what the next
// decision compares the mapped value with, so the value is written again
// only when the mapping gives another one; run changes say "(write-only)";
// the hash a reconciliation compares leaves them out, as a read does.
// What is kept is the value of a pending operation until it is carried
// out — at once, unless the resource groups changes or is unreachable.

// writeOnlyShown is how a run change shows a write-only value.
const writeOnlyShown = "(write-only)"

// fingerprint is what a shadow caches of a write-only value: a digest
// salted with the resource and attribute, never the value.
func (rt *resourceType) fingerprint(attr string, vs []string) []string {
	if len(vs) == 0 {
		return nil
	}
	h := sha256.New()
	h.Write([]byte(rt.res.Name + "\x00" + attr + "\x00" + strings.Join(vs, "\x00")))
	return []string{"(write-only sha256:" + hex.EncodeToString(h.Sum(nil)[:12]) + ")"}
}

// cached is attrs as a shadow caches them: write-only values replaced by
// their fingerprints. attrs is not changed.
func (rt *resourceType) cached(attrs connector.Attributes) connector.Attributes {
	if rt == nil || len(rt.writeOnly) == 0 || attrs == nil {
		return attrs
	}
	out := attrs.Clone()
	for name := range rt.writeOnly {
		if vs, ok := out[name]; ok {
			out[name] = rt.fingerprint(name, vs)
		}
	}
	return out
}

// readable is attrs without the write-only ones: what reading the object
// back gives, for its hash.
func (rt *resourceType) readable(attrs connector.Attributes) connector.Attributes {
	if rt == nil || len(rt.writeOnly) == 0 {
		return attrs
	}
	out := attrs.Clone()
	for name := range rt.writeOnly {
		delete(out, name)
	}
	return out
}

// keepWriteOnly copies into attrs (read from the resource, which never
// returns them) the fingerprints the previous shadow had.
func (rt *resourceType) keepWriteOnly(attrs connector.Attributes, prev *state.Shadow) connector.Attributes {
	if rt == nil || len(rt.writeOnly) == 0 || prev == nil {
		return attrs
	}
	var out connector.Attributes
	for name := range rt.writeOnly {
		if vs, ok := prev.Attributes[name]; ok {
			if out == nil {
				out = attrs.Clone()
				if out == nil {
					out = connector.Attributes{}
				}
			}
			out[name] = vs
		}
	}
	if out == nil {
		return attrs
	}
	return out
}

// mask hides write-only values in run changes.
func (rt *resourceType) mask(changes []state.AttributeChange) []state.AttributeChange {
	if rt == nil || len(rt.writeOnly) == 0 {
		return changes
	}
	for i, c := range changes {
		if !rt.writeOnly[c.Name] {
			continue
		}
		if len(c.Before) > 0 {
			changes[i].Before = []string{writeOnlyShown}
		}
		if len(c.After) > 0 {
			changes[i].After = []string{writeOnlyShown}
		}
	}
	return changes
}

// withSecrets is the operation to perform for p: its write-only
// fingerprints replaced by the values the deciding pass kept (it), or
// left out when that pass is gone (lost names them).
func withSecrets(p *state.PendingOperation, it intent) (*state.PendingOperation, []string) {
	rt := it.rt
	if rt == nil || len(rt.writeOnly) == 0 {
		return p, nil
	}
	var op *state.PendingOperation
	var lost []string
	for name := range rt.writeOnly {
		if _, ok := p.Attributes[name]; !ok {
			continue
		}
		if op == nil {
			cp := *p
			cp.Attributes = connector.Attributes(p.Attributes).Clone()
			op = &cp
		}
		if vs, ok := it.secrets[name]; ok {
			op.Attributes[name] = vs
		} else {
			delete(op.Attributes, name)
			lost = append(lost, name)
		}
	}
	if op == nil {
		return p, nil
	}
	return op, lost
}
