package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/ops"
)

// ResourceTestTimeout bounds one connection test from the console, below
// the server's write timeout.
const ResourceTestTimeout = 30 * time.Second

// ResourceTest is what POST /api/v1/resources/NAME/test answers, and what
// the Resources page shows of a resource's last test: the same workflow
// and findings as syncline resources test. OK is false when the
// connection failed (Error says why) or objects cannot be read
// (Problems). Connection settings, and so secrets, are never in it; the
// connectors' errors do not carry them either.
type ResourceTest struct {
	Resource string    `json:"resource"`
	OK       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Seconds  float64   `json:"seconds"`
	// Created says what the test created (a sql table with
	// create_table = true), "" for nothing.
	Created      string              `json:"created,omitempty"`
	Connector    string              `json:"connector,omitempty"`
	Location     string              `json:"location,omitempty"`
	Server       string              `json:"server,omitempty"`
	ObjectClass  string              `json:"object_class,omitempty"`
	Identifier   string              `json:"identifier,omitempty"`
	Objects      int64               `json:"objects"`
	Capabilities string              `json:"capabilities,omitempty"`
	Attributes   []ResourceAttribute `json:"attributes"`
	Problems     []string            `json:"problems"`
	ProblemCount int                 `json:"problem_count"`
}

// ResourceAttribute is one attribute the test found.
type ResourceAttribute struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	MultiValued bool   `json:"multi_valued,omitempty"`
	Nullable    bool   `json:"nullable,omitempty"`
}

// resourceTests keeps each resource's last test from the console, for the
// Resources page; they last as long as the server.
type resourceTests struct {
	mu   sync.Mutex
	last map[string]*ResourceTest
}

func (rt *resourceTests) get(name string) *ResourceTest {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.last[name]
}

func (rt *resourceTests) put(t *ResourceTest) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if rt.last == nil {
		rt.last = map[string]*ResourceTest{}
	}
	rt.last[t.Resource] = t
}

// testResource tests the connection of resource name as the server's
// catalog configures it (ops.TestResource, as syncline resources test).
// An unknown resource is a 404; a failed test is a result, not an error.
func (c *Console) testResource(ctx context.Context, name string, p principal) (*ResourceTest, error) {
	cat := c.cfg.Engine.Catalog()
	if cat == nil || cat.Config() == nil {
		return nil, &apiError{Status: http.StatusConflict, Code: "conflict", Message: "the server has no configuration loaded yet; try again when it is ready"}
	}
	res := cat.Config().Resources[name]
	if res == nil {
		return nil, notFound("there is no resource " + name + " in the configuration the server runs")
	}
	ctx, cancel := context.WithTimeout(ctx, ResourceTestTimeout)
	defer cancel()
	start := c.cfg.Clock.Now()
	r, created, err := ops.TestResource(ctx, res, cat.Dir())
	out := &ResourceTest{Resource: name, By: p.Name, At: start, Created: created,
		Seconds: c.cfg.Clock.Now().Sub(start).Round(time.Millisecond).Seconds(), Attributes: []ResourceAttribute{}, Problems: []string{}}
	if err != nil {
		out.Error = err.Error()
		if ctx.Err() != nil {
			out.Error = "the test did not finish within " + ResourceTestTimeout.String() + ": " + out.Error
		}
	} else {
		fill(out, r)
		out.OK = r.ProblemCount == 0
	}
	c.tests.put(out)
	c.cfg.Logger.Info("resource tested from the console", "resource", name, "by", p.Name, "ok", out.OK)
	return out, nil
}

func fill(out *ResourceTest, r *connector.TestResult) {
	out.Connector, out.Location, out.Server, out.ObjectClass, out.Identifier = r.Connector, r.Location, r.Server, r.ObjectClass, r.Identifier
	out.Objects, out.Capabilities, out.ProblemCount = r.Objects, r.Capabilities.String(), r.ProblemCount
	for _, a := range r.Attributes {
		out.Attributes = append(out.Attributes, ResourceAttribute{Name: a.Name, Type: a.Type, MultiValued: a.MultiValued, Nullable: a.Nullable})
	}
	for _, p := range r.Problems {
		out.Problems = append(out.Problems, p.Error())
	}
}

func (c *Console) apiTestResource(r *http.Request) (int, any, error) {
	if err := decodeBody(r, &struct{}{}); err != nil {
		return 0, nil, err
	}
	out, err := c.testResource(r.Context(), r.PathValue("name"), who(r))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

// resourcesView is the Resources page: every applied resource with its
// last test from the console.
type resourcesView struct {
	Resources []resourceRow
}

type resourceRow struct {
	Resource
	Test *ResourceTest
}

func (u *ui) resources(w http.ResponseWriter, r *http.Request) {
	list, err := u.c.resources(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	v := resourcesView{}
	for _, res := range list {
		v.Resources = append(v.Resources, resourceRow{Resource: res, Test: u.c.tests.get(res.Name)})
	}
	u.render(w, r, http.StatusOK, "resources", "Resources", v)
}

// testResource runs the Test form of a resource and shows the Resources
// page at that resource, where its result is.
func (u *ui) testResource(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	out, err := u.c.testResource(r.Context(), name, who(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	done := "Resource " + name + ": the connection works."
	switch {
	case out.Error != "":
		done = "Resource " + name + ": the test failed."
	case !out.OK:
		done = "Resource " + name + ": the connection works, but objects cannot be read."
	}
	http.Redirect(w, r, "/resources?done="+url.QueryEscape(done)+"#resource-"+url.PathEscape(strings.ToLower(name)), http.StatusSeeOther)
}
