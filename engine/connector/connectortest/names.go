package connectortest

import (
	"context"
	"errors"
	"iter"

	"github.com/syncline/syncline/engine/connector"
)

// renamed is a connector seen through Harness.Names: the suite's attribute
// names go in, the connector's come out, and back. Names not in the map
// pass unchanged.
type renamed struct {
	connector.Connector
	to, from map[string]string // suite -> connector, connector -> suite
}

// rename wraps c when names maps any attribute, and returns c otherwise.
func rename(c connector.Connector, names map[string]string) connector.Connector {
	if len(names) == 0 {
		return c
	}
	r := &renamed{Connector: c, to: names, from: map[string]string{}}
	for suite, conn := range names {
		r.from[conn] = suite
	}
	return r
}

func mapName(m map[string]string, name string) string {
	if n, ok := m[name]; ok {
		return n
	}
	return name
}

func mapAttrs(m map[string]string, a connector.Attributes) connector.Attributes {
	if a == nil {
		return nil
	}
	out := make(connector.Attributes, len(a))
	for k, vs := range a {
		out[mapName(m, k)] = vs
	}
	return out
}

func (r *renamed) in(o connector.Object) connector.Object {
	return connector.Object{ID: o.ID, Attributes: mapAttrs(r.to, o.Attributes)}
}

func (r *renamed) out(o connector.Object) connector.Object {
	return connector.Object{ID: o.ID, Attributes: mapAttrs(r.from, o.Attributes)}
}

func (r *renamed) Test(ctx context.Context) (*connector.TestResult, error) {
	res, err := r.Connector.Test(ctx)
	if res != nil {
		cp := *res
		cp.Identifier = mapName(r.from, cp.Identifier)
		cp.Attributes = nil
		for _, a := range res.Attributes {
			a.Name = mapName(r.from, a.Name)
			cp.Attributes = append(cp.Attributes, a)
		}
		res = &cp
	}
	return res, err
}

func (r *renamed) Search(ctx context.Context, q connector.Query) iter.Seq2[connector.Object, error] {
	return func(yield func(connector.Object, error) bool) {
		for o, err := range r.Connector.Search(ctx, q) {
			if !yield(r.out(o), err) {
				return
			}
		}
	}
}

func (r *renamed) Get(ctx context.Context, id string) (connector.Object, error) {
	o, err := r.Connector.Get(ctx, id)
	return r.out(o), err
}

func (r *renamed) Create(ctx context.Context, obj connector.Object) error {
	return r.Connector.Create(ctx, r.in(obj))
}

func (r *renamed) Update(ctx context.Context, id string, mods []connector.Modification) error {
	return r.Connector.Update(ctx, id, r.mods(mods))
}

// Changes forwards to the connector's feed; connector.Feed has checked
// that it has one.
func (r *renamed) Changes(ctx context.Context, token string, fn func(connector.Change) error) (string, error) {
	feed, ok := r.Connector.(connector.ChangeFeed)
	if !ok {
		return "", connector.ErrorBuilder{Resource: r.Resource()}.New(connector.ErrUnsupported, "changes", nil, "")
	}
	return feed.Changes(ctx, token, func(ch connector.Change) error {
		ch.Object = r.out(ch.Object)
		return fn(ch)
	})
}

// Rename forwards to the connector's Renamer; ErrUnsupported without one.
func (r *renamed) Rename(ctx context.Context, id, newID string) error {
	rn, ok := r.Connector.(connector.Renamer)
	if !ok {
		return &connector.Error{Kind: connector.ErrUnsupported, Op: "rename", Err: errors.New("the connector cannot rename")}
	}
	return rn.Rename(ctx, id, newID)
}

// Apply forwards to the connector's Batcher with the names mapped, or
// writes one operation at a time without one.
func (r *renamed) Apply(ctx context.Context, ops []connector.Operation) []error {
	out := make([]connector.Operation, len(ops))
	for i, op := range ops {
		op.Object = r.in(op.Object)
		op.Mods = r.mods(op.Mods)
		out[i] = op
	}
	return connector.Apply(ctx, r.Connector, out)
}

func (r *renamed) mods(mods []connector.Modification) []connector.Modification {
	if mods == nil {
		return nil
	}
	out := make([]connector.Modification, len(mods))
	for i, m := range mods {
		out[i] = connector.Modification{Op: m.Op, Attribute: mapName(r.to, m.Attribute), Values: m.Values}
	}
	return out
}
