package ldap

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// Create adds an entry named naming_attribute=VALUE under the container,
// with the object classes of object_classes. An entry of the class with
// the same identifier anywhere under base_dn makes it ErrAlreadyExists.
func (c *Connector) Create(ctx context.Context, obj connector.Object) error {
	req, err := c.addRequest(obj)
	if err != nil {
		return err
	}
	if err := c.checkNew(ctx, obj.ID); err != nil {
		return err
	}
	return c.add(ctx, obj.ID, req)
}

// addRequest checks a new object and returns the add that creates it.
func (c *Connector) addRequest(obj connector.Object) (*goldap.AddRequest, error) {
	if !c.Capabilities().Create {
		return nil, c.errs.Object(connector.ErrUnsupported, "create", obj.ID, fmt.Errorf("the identifier %s is assigned by the directory", c.id.name()),
			"syncline names a new object by its identifier, which it cannot choose here: set identifier to an attribute it writes, such as the naming attribute (uid).")
	}
	if obj.ID == "" {
		return nil, c.errs.Object(connector.ErrInvalidObject, "create", "", fmt.Errorf("the object has no identifier"), "")
	}
	attrs, err := c.newAttributes(obj)
	if err != nil {
		return nil, err
	}
	naming := obj.ID
	if c.naming != c.id {
		if naming = attrs.First(c.naming.name()); naming == "" {
			return nil, c.errs.Object(connector.ErrInvalidObject, "create", obj.ID, fmt.Errorf("the object has no %s, the attribute new entries are named by", c.naming.name()),
				"Map a value to the naming attribute, or set naming_attribute to one the object has.")
		}
	}
	req := goldap.NewAddRequest(c.newDN(naming), nil)
	req.Attribute("objectClass", c.cfg.ObjectClasses)
	for _, name := range attrs.Names() {
		raw, err := c.rawValues("create", obj.ID, name, attrs[name])
		if err != nil {
			return nil, err
		}
		if len(raw) > 0 {
			req.Attribute(name, raw)
		}
	}
	return req, nil
}

// checkNew returns ErrAlreadyExists when an entry of the class under
// base_dn has the identifier id, and nil when none has.
func (c *Connector) checkNew(ctx context.Context, id string) error {
	switch _, err := c.find(ctx, "create", id, []string{c.id.name()}); {
	case err == nil:
		return c.exists(id, nil)
	case errors.Is(err, connector.ErrInvalidObject):
		return c.exists(id, errors.Unwrap(err))
	case !errors.Is(err, connector.ErrNotFound):
		return err
	}
	return nil
}

// exists is the error of a create whose identifier is taken.
func (c *Connector) exists(id string, cause error) error {
	return c.errs.Object(connector.ErrAlreadyExists, "create", id, cause, "")
}

// add sends the add of a new entry.
func (c *Connector) add(ctx context.Context, id string, req *goldap.AddRequest) error {
	return c.fail("create", id, c.do(ctx, "create", id, func(conn *goldap.Conn) error { return conn.Add(req) }))
}

// newAttributes checks the attributes of a new object and returns them
// under their schema names, the identifier among them.
func (c *Connector) newAttributes(obj connector.Object) (connector.Attributes, error) {
	attrs := connector.Attributes{}
	for _, name := range obj.Attributes.Names() {
		canon, err := c.writeName("create", obj.ID, name)
		if err != nil {
			return nil, err
		}
		vs, err := c.canonicalValues("create", obj.ID, canon, connector.Values(obj.Attributes[name]...))
		if err != nil {
			return nil, err
		}
		attrs[canon] = connector.Union(attrs[canon], vs)
	}
	idName := c.id.name()
	if vs := attrs[idName]; len(vs) > 0 && !slices.Equal(vs, []string{obj.ID}) {
		return nil, c.errs.Object(connector.ErrInvalidObject, "create", obj.ID, fmt.Errorf("the object's %s %q differs from its identifier", idName, vs),
			"The identifier attribute, when given, must hold the identifier and nothing else.")
	}
	attrs[idName] = []string{obj.ID}
	return attrs, c.checkSingle("create", obj.ID, attrs)
}

// Update applies mods to the entry with identifier id in one LDAP modify,
// which the server applies whole or not at all. It reads the entry first
// and sends, per attribute, the smallest change: add the new values,
// delete the removed ones, or replace all of them when their order
// changes; unchanged attributes are not sent. Write-only attributes
// (userPassword) cannot be read, so their modifications are sent as they
// are.
func (c *Connector) Update(ctx context.Context, id string, mods []connector.Modification) error {
	req, err := c.updateRequest(ctx, id, mods)
	if err != nil || req == nil {
		return err
	}
	return c.fail("update", id, c.do(ctx, "update", id, func(conn *goldap.Conn) error { return conn.Modify(req) }))
}

// updateRequest is Update up to the modify it sends (nil when nothing
// changes): it reads the entry and moves it to a new RDN first when the
// naming attribute changes.
func (c *Connector) updateRequest(ctx context.Context, id string, mods []connector.Modification) (*goldap.ModifyRequest, error) {
	if err := c.checkMods(id, mods); err != nil {
		return nil, err
	}
	e, err := c.find(ctx, "update", id, c.attributes())
	if err != nil {
		return nil, err
	}
	cur, err := c.object("update", e)
	if err != nil {
		return nil, err
	}
	dn, err := c.renameForNaming(ctx, e.DN, id, cur.Attributes, mods)
	if err != nil {
		return nil, err
	}
	return c.modifyRequest(dn, id, cur.Attributes, mods)
}

// renameForNaming moves the entry to its new RDN when mods change the
// value of the naming attribute, which a modify cannot (the server
// refuses to change an RDN value): a ModifyDN under the same parent,
// removing the old value, so the entry — and its entryUUID, the
// identifier — stays the same. cur then holds the new value, so the
// modify that follows leaves it alone. It returns the entry's DN after.
// With the identifier as the naming attribute, a new value is a rename
// (Rename) and the update refuses it.
func (c *Connector) renameForNaming(ctx context.Context, dn, id string, cur connector.Attributes, mods []connector.Modification) (string, error) {
	if c.naming == c.id {
		return dn, nil
	}
	name := c.naming.name()
	var naming []connector.Modification
	for _, m := range mods {
		if c.canonicalName(m.Attribute) == name {
			naming = append(naming, connector.Modification{Op: m.Op, Attribute: name, Values: m.Values})
		}
	}
	if len(naming) == 0 {
		return dn, nil
	}
	next, err := cur.Apply(naming, true)
	if err != nil {
		return "", c.errs.Object(connector.ErrInvalidObject, "update", id, err, "")
	}
	value := next.First(name)
	if len(next[name]) != 1 || value == "" {
		return "", c.errs.Object(connector.ErrInvalidObject, "update", id, fmt.Errorf("the naming attribute %s must keep exactly one value, not %q", name, next[name]),
			"Entries are named by it: map one value to it.")
	}
	if c.rdnValue(dn, c.naming) == value {
		return dn, nil
	}
	req := goldap.NewModifyDNRequest(dn, name+"="+EscapeDNValue(value), true, "")
	if err := c.fail("update", id, c.do(ctx, "update", id, func(conn *goldap.Conn) error { return conn.ModifyDN(req) })); err != nil {
		return "", err
	}
	cur[name] = []string{value}
	// The entry's new DN, as the server spells it.
	e, err := c.find(ctx, "update", id, []string{c.id.name()})
	if err != nil {
		return "", err
	}
	return e.DN, nil
}

// checkMods refuses, before anything is read, modifications no entry can
// take: unknown operations and attributes, objectClass, attributes the
// server sets.
func (c *Connector) checkMods(id string, mods []connector.Modification) error {
	for _, m := range mods {
		if !slices.Contains([]connector.ModOp{connector.ModAdd, connector.ModReplace, connector.ModRemove}, m.Op) {
			return c.errs.Object(connector.ErrInvalidObject, "update", id, fmt.Errorf("unknown modification %q of attribute %q", m.Op, m.Attribute),
				"Use add, replace or remove.")
		}
		if a := c.schema.attr(m.Attribute); a != nil && a == c.id {
			continue // checked against the entry: it may not change
		}
		if _, err := c.writeName("update", id, m.Attribute); err != nil {
			return err
		}
	}
	return nil
}

// modifyRequest computes the LDAP modify that turns cur into cur with
// mods applied, or nil when nothing changes.
func (c *Connector) modifyRequest(dn, id string, cur connector.Attributes, mods []connector.Modification) (*goldap.ModifyRequest, error) {
	var plain []connector.Modification
	var secret []connector.Modification
	var order []string
	for _, m := range mods {
		name := c.canonicalName(m.Attribute)
		vs, err := c.canonicalValues("update", id, name, connector.Values(m.Values...))
		if err != nil {
			return nil, err
		}
		m = connector.Modification{Op: m.Op, Attribute: name, Values: vs}
		if c.schema.secret(name) {
			secret = append(secret, m)
			continue
		}
		plain = append(plain, m)
		if !slices.Contains(order, name) {
			order = append(order, name)
		}
	}
	next, err := cur.Apply(plain, true)
	if err != nil {
		return nil, c.errs.Object(connector.ErrInvalidObject, "update", id, err, "")
	}
	if idName := c.id.name(); !slices.Equal(next[idName], cur[idName]) {
		return nil, c.errs.Object(connector.ErrInvalidObject, "update", id, fmt.Errorf("the identifier %s cannot change (from %q to %q)", idName, cur[idName], next[idName]),
			"syncline does not rename entries yet.")
	}
	if err := c.checkSingle("update", id, next); err != nil {
		return nil, err
	}
	var controls []goldap.Control
	if c.permissive {
		controls = append(controls, goldap.NewControlString(controlPermissiveModify, false, ""))
	}
	req := goldap.NewModifyRequest(dn, controls)
	for _, name := range order {
		if err := c.addChange(req, id, name, cur[name], next[name]); err != nil {
			return nil, err
		}
	}
	for _, m := range secret {
		if err := c.addSecretChange(req, id, m); err != nil {
			return nil, err
		}
	}
	if len(req.Changes) == 0 {
		return nil, nil
	}
	return req, nil
}

// addChange adds to req the smallest change from old to new values:
// replace when the attribute is cleared or has no equality rule, add when
// values are only appended, delete when values are only removed, replace
// otherwise.
func (c *Connector) addChange(req *goldap.ModifyRequest, id, name string, old, new []string) error {
	var op string
	var values []string
	switch a := c.schema.attr(name); {
	case slices.Equal(old, new):
		return nil
	case len(new) == 0 || a == nil || a.equality == "":
		// Without an equality rule the server cannot find values to
		// add or delete (jpegPhoto): replace them all.
		op, values = "replace", new
	case len(old) == 0:
		op, values = "add", new
	case len(new) > len(old) && slices.Equal(new[:len(old)], old):
		op, values = "add", new[len(old):]
	default:
		removed := slices.DeleteFunc(slices.Clone(old), func(v string) bool { return slices.Contains(new, v) })
		kept := slices.DeleteFunc(slices.Clone(old), func(v string) bool { return slices.Contains(removed, v) })
		op, values = "delete", removed
		if !slices.Equal(kept, new) {
			op, values = "replace", new
		}
	}
	raw, err := c.rawValues("update", id, name, values)
	if err != nil {
		return err
	}
	switch op {
	case "add":
		req.Add(name, raw)
	case "delete":
		req.Delete(name, raw)
	default:
		req.Replace(name, raw)
	}
	return nil
}

// addSecretChange adds a modification of a write-only attribute as it is.
func (c *Connector) addSecretChange(req *goldap.ModifyRequest, id string, m connector.Modification) error {
	raw, err := c.rawValues("update", id, m.Attribute, m.Values)
	if err != nil {
		return err
	}
	switch m.Op {
	case connector.ModAdd:
		if len(raw) > 0 {
			req.Add(m.Attribute, raw)
		}
	case connector.ModRemove:
		if len(raw) > 0 {
			req.Delete(m.Attribute, raw)
		}
	default:
		req.Replace(m.Attribute, raw)
	}
	return nil
}

// Delete removes the entry with identifier id. An entry with entries
// below it is refused by the server (not allowed on non-leaf).
func (c *Connector) Delete(ctx context.Context, id string) error {
	req, err := c.deleteRequest(ctx, id)
	if err != nil {
		return err
	}
	return c.fail("delete", id, c.do(ctx, "delete", id, func(conn *goldap.Conn) error { return conn.Del(req) }))
}

// deleteRequest finds the entry with identifier id and returns its delete.
func (c *Connector) deleteRequest(ctx context.Context, id string) (*goldap.DelRequest, error) {
	e, err := c.find(ctx, "delete", id, []string{c.id.name()})
	if err != nil {
		return nil, err
	}
	return goldap.NewDelRequest(e.DN, nil), nil
}

// writeName returns the schema name of an attribute syncline may write.
func (c *Connector) writeName(op, id, name string) (string, error) {
	a := c.schema.attr(name)
	switch {
	case a == nil:
		return "", c.errs.Object(connector.ErrInvalidObject, op, id, fmt.Errorf("the directory's schema has no attribute %q", name),
			c.suggestAttr(name, "Write only attributes the directory's schema defines."))
	case a == c.id:
	case strings.EqualFold(a.name(), "objectClass"):
		return "", c.errs.Object(connector.ErrInvalidObject, op, id, fmt.Errorf("objectClass cannot be written"),
			"New entries get the object classes of object_classes; syncline does not change an entry's object classes.")
	case a.noUserMod || a.operational():
		return "", c.errs.Object(connector.ErrInvalidObject, op, id, fmt.Errorf("%s is kept by the server and cannot be written", a.name()), "")
	}
	return c.canonicalName(name), nil
}

// canonicalName is name as the schema spells it, options lower-cased.
func (c *Connector) canonicalName(name string) string {
	a := c.schema.attr(name)
	if a == nil {
		return name
	}
	if _, opts, ok := strings.Cut(name, ";"); ok {
		return a.name() + ";" + strings.ToLower(opts)
	}
	return a.name()
}

// canonicalValues checks values of a binary attribute are base64 and
// writes them as Search returns them (standard encoding, padded).
func (c *Connector) canonicalValues(op, id, name string, vs []string) ([]string, error) {
	raw, err := c.rawValues(op, id, name, vs)
	if err != nil || !c.schema.binary(name) || c.schema.secret(name) {
		return raw, err
	}
	for i, b := range raw {
		raw[i] = base64.StdEncoding.EncodeToString([]byte(b))
	}
	return raw, nil
}

// rawValues turns values into what is sent: the bytes of a base64-checked
// binary attribute, the text of others.
func (c *Connector) rawValues(op, id, name string, vs []string) ([]string, error) {
	if !c.schema.binary(name) || c.schema.secret(name) {
		return vs, nil
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		b, err := decodeBase64(v)
		if err != nil {
			return nil, c.errs.Object(connector.ErrInvalidObject, op, id, fmt.Errorf("attribute %s is binary, and a value is not base64: %v", name, err),
				"Write the values of binary attributes (jpegPhoto, userCertificate) base64-encoded, as a search shows them.")
		}
		out[i] = string(b)
	}
	return out, nil
}

func decodeBase64(v string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		if b2, err2 := base64.RawStdEncoding.DecodeString(v); err2 == nil {
			return b2, nil
		}
	}
	return b, err
}

// checkSingle refuses two values for an attribute the schema makes
// single-valued.
func (c *Connector) checkSingle(op, id string, attrs connector.Attributes) error {
	for name, vs := range attrs {
		if a := c.schema.attr(name); a != nil && a.singleValue && len(vs) > 1 {
			return c.errs.Object(connector.ErrInvalidObject, op, id, fmt.Errorf("attribute %s is single-valued in the directory's schema and cannot hold %d values", name, len(vs)), "")
		}
	}
	return nil
}

// Rename gives the entry with identifier id the identifier newID by a
// ModifyDN of its RDN (the old RDN value is removed): the entry stays the
// same entry — its entryUUID, its group memberships by entryUUID — under
// the same parent. Only a connector whose identifier is the naming
// attribute renames (Capabilities.Rename); a new RDN already taken is
// ErrAlreadyExists (the server's entryAlreadyExists).
func (c *Connector) Rename(ctx context.Context, id, newID string) error {
	req, err := c.renameRequest(ctx, id, newID)
	if err != nil {
		return err
	}
	return c.fail("rename", id, c.do(ctx, "rename", id, func(conn *goldap.Conn) error { return conn.ModifyDN(req) }))
}

// renameRequest checks a rename, finds the entry and returns its ModifyDN.
func (c *Connector) renameRequest(ctx context.Context, id, newID string) (*goldap.ModifyDNRequest, error) {
	if c.naming != c.id {
		return nil, c.errs.Object(connector.ErrUnsupported, "rename", id, fmt.Errorf("the identifier %s is not the naming attribute %s", c.id.name(), c.naming.name()),
			"An entry's identifier that is not its naming attribute never changes.")
	}
	if newID == "" {
		return nil, c.errs.Object(connector.ErrInvalidObject, "rename", id, fmt.Errorf("the new identifier is empty"), "")
	}
	e, err := c.find(ctx, "rename", id, []string{c.id.name()})
	if err != nil {
		return nil, err
	}
	return goldap.NewModifyDNRequest(e.DN, c.naming.name()+"="+EscapeDNValue(newID), true, ""), nil
}
