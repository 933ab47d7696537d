package connectortest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

// Harness is what a connector gives the suite.
type Harness struct {
	// New makes a new, empty resource whose objects have the attributes s
	// names, and returns its connector (closed by the suite).
	New func(t *testing.T, s Schema) Resource
	// NormalizesCRLF says that "\r\n" inside a value reads back as "\n"
	// (encoding/csv does this).
	NormalizesCRLF bool
	// Forbidden holds characters values cannot contain (a csv file's
	// multivalue delimiter); writing one must be ErrInvalidObject.
	Forbidden string
	// Names maps the suite's attribute names (Standard's) to the ones the
	// connector's resource has, for resources whose schema cannot hold
	// names such as "family name" (an LDAP directory: "sn"). The suite
	// then talks to the connector through these names. New is still
	// given the Standard schema; nil means the names are used as they
	// are.
	Names map[string]string
	// Proxied, when set, makes a fresh resource like New whose connector
	// reaches its server through the returned proxy, and a second
	// connector on the same resource that reaches the server directly,
	// to read back what was done once the proxy is cut (both closed by
	// the suite). A resource without a server (a csv file) leaves it nil.
	Proxied func(t *testing.T, s Schema) (through, direct connector.Connector, p *Proxy)
}

// Resource is one fresh resource made by a Harness.
type Resource struct {
	Connector connector.Connector
	// Seed writes objects straight into the resource, for tests that
	// need thousands; nil means the suite creates them one by one.
	Seed func(t *testing.T, objs []connector.Object)
}

// Schema is the attributes of a resource the suite asks for.
type Schema struct {
	Identifier string
	Attributes []string // every attribute, the identifier first
}

// Attribute names of the Standard schema. Some need quoting in SQL: a
// connector that concatenates names instead of quoting them fails.
const (
	AttrID     = "uid"
	AttrGiven  = "given_name"
	AttrFamily = "family name"
	AttrMail   = "mail"
	AttrNote   = `note"; DROP TABLE x; --`
	AttrGroups = "gro`ups"
)

// Standard is the schema every suite test uses.
var Standard = Schema{Identifier: AttrID, Attributes: []string{AttrID, AttrGiven, AttrFamily, AttrMail, AttrNote, AttrGroups}}

// Run runs the conformance suite against h. Every test makes its own
// resource and runs in parallel.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(*testing.T, *suite)
	}{
		{"Capabilities", testCapabilities},
		{"ConnectionTest", testConnectionTest},
		{"CreateGet", testCreateGet},
		{"CreateCollision", testCreateCollision},
		{"NotFound", testNotFound},
		{"Update", testUpdate},
		{"UpdateRefused", testUpdateRefused},
		{"MultiValued", testMultiValued},
		{"Delete", testDelete},
		{"Rename", testRename},
		{"Paging", testPaging},
		{"BreakAndCancel", testBreakAndCancel},
		{"WriteWhileSearching", testWriteWhileSearching},
		{"Unicode", testUnicode},
		{"TrickyValues", testTrickyValues},
		{"TrickyIdentifiers", testTrickyIdentifiers},
		{"EmptyValues", testEmptyValues},
		{"ObjectClass", testObjectClass},
		{"ChangeFeed", testChangeFeed},
		{"Estimate", testEstimate},
		{"BatchMixed", testBatchMixed},
		{"BatchBadRows", testBatchBadRows},
		{"BatchEmpty", testBatchEmpty},
		{"BatchSameIdentifier", testBatchSameIdentifier},
		{"BatchLarge", testBatchLarge},
		{"BatchDropped", testBatchDropped},
		{"BatchCanceled", testBatchCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newSuite(t, h))
		})
	}
}

// suite is one test's fresh resource.
type suite struct {
	h   Harness
	r   Resource
	c   connector.Connector
	ctx context.Context
}

func newSuite(t *testing.T, h Harness) *suite {
	r := h.New(t, Standard)
	t.Cleanup(func() { r.Connector.Close() })
	if seed := r.Seed; seed != nil && len(h.Names) > 0 {
		r.Seed = func(t *testing.T, objs []connector.Object) {
			out := make([]connector.Object, len(objs))
			for i, o := range objs {
				out[i] = connector.Object{ID: o.ID, Attributes: mapAttrs(h.Names, o.Attributes)}
			}
			seed(t, out)
		}
	}
	return &suite{h: h, r: r, c: rename(r.Connector, h.Names), ctx: t.Context()}
}

// object builds an object from id and name, value pairs.
func object(id string, kv ...string) connector.Object {
	attrs := connector.Attributes{AttrID: {id}}
	for i := 0; i+1 < len(kv); i += 2 {
		attrs[kv[i]] = append(attrs[kv[i]], kv[i+1])
	}
	return connector.Object{ID: id, Attributes: attrs}
}

func (s *suite) create(t *testing.T, objs ...connector.Object) {
	t.Helper()
	for _, o := range objs {
		if err := s.c.Create(s.ctx, o); err != nil {
			t.Fatalf("Create(%q): %v", o.ID, err)
		}
	}
}

// seed fills the resource, through the harness's Seed when it has one.
func (s *suite) seed(t *testing.T, objs []connector.Object) {
	t.Helper()
	if s.r.Seed != nil {
		s.r.Seed(t, objs)
		return
	}
	s.create(t, objs...)
}

// get reads id back and checks it equals want.
func (s *suite) get(t *testing.T, want connector.Object) {
	t.Helper()
	got, err := s.c.Get(s.ctx, want.ID)
	if err != nil {
		t.Fatalf("Get(%q): %v", want.ID, err)
	}
	checkObject(t, got, want)
}

func checkObject(t *testing.T, got, want connector.Object) {
	t.Helper()
	if got.ID != want.ID || !got.Attributes.Equal(want.Attributes) {
		t.Errorf("object %q:\n got %q %q\nwant %q %q", want.ID, got.ID, got.Attributes, want.ID, want.Attributes)
	}
}

// wantKind checks that err is an *connector.Error of kind that names the
// resource.
func (s *suite) wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	var ce *connector.Error
	switch {
	case err == nil:
		t.Errorf("%s: no error, want %v", what, kind)
	case !errors.Is(err, kind):
		t.Errorf("%s: %v, want kind %v", what, err, kind)
	case !errors.As(err, &ce):
		t.Errorf("%s: %T is not a *connector.Error", what, err)
	case ce.Resource != s.c.Resource() || !strings.Contains(err.Error(), s.c.Resource()):
		t.Errorf("%s: %q does not name resource %q", what, err, s.c.Resource())
	}
}

// search collects every object of a search, failing on any error.
func (s *suite) search(t *testing.T, q connector.Query) []connector.Object {
	t.Helper()
	var out []connector.Object
	for obj, err := range s.c.Search(s.ctx, q) {
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		out = append(out, obj)
	}
	return out
}
