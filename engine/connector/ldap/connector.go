package ldap

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// Connector is the ldap connector for the entries under one base DN.
type Connector struct {
	cfg    Config
	errs   connector.ErrorBuilder
	schema *schema
	id     *attributeType // the identifier
	naming *attributeType // the naming attribute
	class  string         // the object class searched by default
	// permissive says the server supports the Permissive Modify control:
	// adding a value already there, or removing one that is not, is no
	// error.
	permissive bool
	server     string // vendor and version, from the root DSE

	mu   sync.Mutex
	conn *goldap.Conn // nil until the first use, and after a drop
	// idle is the search reader's connection between searches (nil
	// while one uses it); closed says Close was called, so a search
	// that ends afterwards closes its connection instead of keeping it.
	idle *searchConn
	// idleWrite is Apply's connection between batches (nil while one
	// uses it).
	idleWrite *writeConn
	closed    bool
}

var (
	_ connector.Connector  = (*Connector)(nil)
	_ connector.ChangeFeed = (*Connector)(nil)
	_ connector.KeyMatcher = (*Connector)(nil)
)

// New connects and binds, reads the directory's schema and checks the
// settings against it: the object classes, the identifier and the naming
// attribute must exist, and so must base_dn.
func New(ctx context.Context, resource string, cfg Config) (*Connector, error) {
	cfg = cfg.withDefaults()
	c := &Connector{cfg: cfg, errs: connector.ErrorBuilder{Resource: resource}, class: cfg.ObjectClasses[0]}
	if err := cfg.check(); err != nil {
		return nil, c.errs.New(connector.ErrConfig, "open", err, "")
	}
	if _, err := cfg.tlsConfig(); err != nil {
		return nil, c.errs.New(connector.ErrConfig, "open", err, "Name a readable PEM file of the certificate authorities that signed the server's certificate.")
	}
	conn, err := c.client(ctx, "open")
	if err != nil {
		return nil, err
	}
	if err := c.readServer(conn); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.resolve(); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.checkBase(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Resource returns the resource's name.
func (c *Connector) Resource() string { return c.errs.Resource }

// Capabilities: everything, batch writes (pipelined on the connection),
// multi-valued attributes, and live sync without deletions. Create is left
// out when the identifier is set by the server (entryUUID): syncline
// cannot choose it for a new entry.
func (c *Connector) Capabilities() connector.Capabilities {
	return connector.Capabilities{
		Read: true, Create: !c.id.noUserMod, Update: true, Delete: true, Rename: c.naming == c.id, Batch: true,
		MultiValued: true, LiveSync: true,
	}
}

// Close closes the connection.
func (c *Connector) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	if c.idle != nil {
		c.idle.close()
		c.idle = nil
	}
	if c.idleWrite != nil {
		c.idleWrite.sc.close()
		c.idleWrite = nil
	}
	c.closed = true
	return nil
}

// client returns the connection, dialing and binding a new one when there
// is none or the last one dropped.
func (c *Connector) client(ctx context.Context, op string) (*goldap.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil && !c.conn.IsClosing() {
		return c.conn, nil
	}
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	conn, err := c.dial(op)
	if err != nil {
		return nil, err
	}
	c.conn = conn
	return conn, nil
}

// drop forgets conn after it failed, so the next call dials again.
func (c *Connector) drop(conn *goldap.Conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == conn {
		c.conn.Close()
		c.conn = nil
	}
}

// dial connects (with TLS for ldaps:// or start_tls) and binds.
func (c *Connector) dial(op string) (*goldap.Conn, error) {
	tc, err := c.cfg.tlsConfig()
	if err != nil {
		return nil, c.errs.New(connector.ErrConfig, op, err, "")
	}
	opts := []goldap.DialOpt{goldap.DialWithDialer(&net.Dialer{Timeout: c.cfg.Timeout})}
	if tc != nil && !c.cfg.StartTLS {
		opts = append(opts, goldap.DialWithTLSConfig(tc))
	}
	conn, err := goldap.DialURL(c.cfg.URL, opts...)
	if err != nil {
		return nil, c.connectFailure(op, err)
	}
	conn.SetTimeout(c.cfg.Timeout)
	if c.cfg.StartTLS {
		if err := conn.StartTLS(tc); err != nil {
			conn.Close()
			return nil, c.connectFailure(op, err)
		}
	}
	if err := c.bind(conn); err != nil {
		conn.Close()
		return nil, c.bindFailure(op, err)
	}
	return conn, nil
}

// bind binds simply, or anonymously without a bind DN.
func (c *Connector) bind(conn *goldap.Conn) error {
	if c.cfg.BindDN == "" {
		return conn.UnauthenticatedBind("")
	}
	if err := c.checkBindPassword(); err != nil {
		return err
	}
	return conn.Bind(c.cfg.BindDN, c.cfg.BindPassword)
}

// checkBindPassword refuses a bind_dn without a password: an empty
// password would be an unauthenticated bind, which many servers accept
// as anonymous.
func (c *Connector) checkBindPassword() error {
	if c.cfg.BindDN != "" && c.cfg.BindPassword == "" {
		return fmt.Errorf("bind_dn is set but bind_password is empty")
	}
	return nil
}

// do runs fn on the connection. When the connection turns out to have
// dropped (the server restarted, a proxy cut it), fn is tried once more on
// a new one: every operation is safe to repeat (a repeated create finds
// the entry and says so, a repeated delete finds none).
func (c *Connector) do(ctx context.Context, op, id string, fn func(*goldap.Conn) error) error {
	for attempt := 0; ; attempt++ {
		conn, err := c.client(ctx, op)
		if err != nil {
			return err
		}
		err = dropped(conn, fn(conn))
		if err == nil {
			return nil
		}
		if !isNetworkError(err) {
			return err
		}
		c.drop(conn)
		if attempt > 0 || ctx.Err() != nil {
			return err
		}
	}
}

// dropped marks an error of an operation on a connection that has closed
// meanwhile as a network error: go-ldap reports "unable to read LDAP
// response packet: EOF" as plain text then. A request it could not write
// ("unable to send request: … broken pipe", also plain text) is one too,
// even before its reader has seen the connection close — which requests
// pipelined side by side run into.
func dropped(conn *goldap.Conn, err error) error {
	if err == nil || isLDAPError(err) {
		return err
	}
	if !conn.IsClosing() && !strings.HasPrefix(err.Error(), "unable to send request") {
		return err
	}
	return goldap.NewError(goldap.ErrorNetwork, err)
}

// readServer reads the root DSE (vendor, controls) and the schema.
func (c *Connector) readServer(conn *goldap.Conn) error {
	res, err := conn.Search(goldap.NewSearchRequest("", goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"subschemaSubentry", "supportedControl", "vendorName", "vendorVersion"}, nil))
	if err != nil || len(res.Entries) == 0 {
		return c.fail("open", "", fmt.Errorf("reading the root DSE: %w", orNoEntry(err)))
	}
	root := res.Entries[0]
	for _, ctl := range root.GetAttributeValues("supportedControl") {
		if ctl == controlPermissiveModify {
			c.permissive = true
		}
	}
	c.server = strings.TrimSpace(root.GetAttributeValue("vendorName") + " " + root.GetAttributeValue("vendorVersion"))
	sub := root.GetAttributeValue("subschemaSubentry")
	if sub == "" {
		sub = "cn=Subschema"
	}
	res, err = conn.Search(goldap.NewSearchRequest(sub, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=subschema)", []string{"attributeTypes", "objectClasses"}, nil))
	if err != nil || len(res.Entries) == 0 {
		return c.fail("open", "", fmt.Errorf("reading the schema (%s): %w", sub, orNoEntry(err)))
	}
	c.schema, err = parseSchema(res.Entries[0].GetAttributeValues("attributeTypes"), res.Entries[0].GetAttributeValues("objectClasses"))
	if err != nil {
		return c.errs.New(connector.ErrSchema, "open", fmt.Errorf("the directory's schema cannot be read: %w", err), "")
	}
	return nil
}

func orNoEntry(err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("the server returned no entry")
}

// controlPermissiveModify is the OID of the Permissive Modify control.
const controlPermissiveModify = "1.2.840.113556.1.4.1413"

// resolve checks the settings against the schema.
func (c *Connector) resolve() error {
	for _, oc := range c.cfg.ObjectClasses {
		if c.schema.class(oc) == nil {
			return c.errs.New(connector.ErrSchema, "open", fmt.Errorf("the directory has no object class %q", oc),
				c.suggestClass(oc, "Name object classes of the directory's schema in object_classes."))
		}
	}
	for _, a := range []struct {
		setting, name string
		dst           **attributeType
	}{{"identifier", c.cfg.Identifier, &c.id}, {"naming_attribute", c.cfg.NamingAttribute, &c.naming}} {
		if *a.dst = c.schema.attr(a.name); *a.dst == nil {
			return c.errs.New(connector.ErrSchema, "open", fmt.Errorf("%s %q is not an attribute of the directory's schema", a.setting, a.name),
				c.suggestAttr(a.name, ""))
		}
	}
	if c.naming.noUserMod || c.naming.operational() {
		return c.errs.New(connector.ErrConfig, "open", fmt.Errorf("naming_attribute %q is set by the server and cannot name new entries", c.cfg.NamingAttribute),
			`Name entries by an attribute syncline writes, such as "uid" or "cn".`)
	}
	return nil
}

// checkBase checks that base_dn exists.
func (c *Connector) checkBase(ctx context.Context) error {
	err := c.do(ctx, "open", "", func(conn *goldap.Conn) error {
		_, err := conn.Search(goldap.NewSearchRequest(c.cfg.BaseDN, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 1, 0, false,
			"(objectClass=*)", []string{"1.1"}, nil))
		return err
	})
	if goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) {
		return c.errs.New(connector.ErrSchema, "open", fmt.Errorf("base_dn %q does not exist", c.cfg.BaseDN),
			"Create the entry, or set base_dn to an entry that exists (ldapsearch -b '' -s base namingContexts lists the directory's suffixes).")
	}
	if err != nil {
		return c.fail("open", "", err)
	}
	return nil
}
