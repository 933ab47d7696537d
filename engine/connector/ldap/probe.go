package ldap

import (
	"context"
	"fmt"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// Test counts the entries of the default object class under base_dn and
// describes the attributes its object classes allow, as the schema says.
func (c *Connector) Test(ctx context.Context) (*connector.TestResult, error) {
	res := &connector.TestResult{
		Connector:    "ldap",
		Location:     fmt.Sprintf("%s, base %s", c.cfg.URL, c.cfg.BaseDN),
		Server:       c.server,
		ObjectClass:  c.class,
		Identifier:   c.id.name(),
		Capabilities: c.Capabilities(),
		Attributes:   c.describeAttributes(),
	}
	if res.Server == "" {
		res.Server = "LDAPv3 directory"
	}
	var failure error
	c.pages(ctx, "test", c.filter(c.class, ""), []string{c.id.name()}, connector.DefaultPageSize, func(e *goldap.Entry) bool {
		if c.idOfEntry(e) == "" {
			res.AddProblem(c.errs.Object(connector.ErrInvalidObject, "test", e.DN, fmt.Errorf("the entry has no %s", c.id.name()), ""))
			return true
		}
		res.Objects++
		return true
	}, func(err error) { failure = err })
	if failure != nil {
		return nil, failure
	}
	return res, nil
}

// describeAttributes lists the identifier, then the attributes the object
// classes of new entries require and allow.
func (c *Connector) describeAttributes() []connector.AttributeInfo {
	out := []connector.AttributeInfo{c.info(c.id, false)}
	seen := map[*attributeType]bool{c.id: true}
	for _, oc := range c.cfg.ObjectClasses {
		must, may := c.schema.classAttributes(oc)
		for i, name := range append(must, may...) {
			a := c.schema.attr(name)
			if a == nil || seen[a] || name == "objectClass" {
				continue
			}
			seen[a] = true
			out = append(out, c.info(a, i >= len(must)))
		}
	}
	return out
}

func (c *Connector) info(a *attributeType, optional bool) connector.AttributeInfo {
	typ := syntaxNames[a.syntax]
	if typ == "" {
		typ = a.syntax
	}
	switch {
	case c.schema.secret(a.name()):
		typ += ", write-only"
	case c.schema.binary(a.name()):
		typ += ", base64"
	}
	return connector.AttributeInfo{Name: a.name(), Type: typ, MultiValued: !a.singleValue, Nullable: optional}
}
