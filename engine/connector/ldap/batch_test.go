package ldap_test

import (
	"fmt"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// TestBatchCreateFindsTakenIdentifiers: a batch's creates learn which
// identifiers are taken many at a time, and still find them as Create
// does: in an entry below a sub-container (another DN), under another
// case (uid ignores case), and among more creates than one search asks
// about.
func TestBatchCreateFindsTakenIdentifiers(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	sub := "ou=sub," + cfg.BaseDN
	req := goldap.NewAddRequest(sub, nil)
	req.Attribute("objectClass", []string{"organizationalUnit"})
	req.Attribute("ou", []string{"sub"})
	if err := srv.Admin(t).Add(req); err != nil {
		t.Fatal(err)
	}
	seed(t, srv, sub, []connector.Object{obj("deep"), obj("Upper")})
	c := open(t, cfg)
	var ops []connector.Operation
	want := map[int]error{}
	for i := range 150 {
		id := fmt.Sprintf("n%03d", i)
		switch i {
		case 3:
			id = "deep"
		case 70:
			id = "upper"
		case 149:
			id = "DEEP"
		}
		if id != fmt.Sprintf("n%03d", i) {
			want[i] = connector.ErrAlreadyExists
		}
		ops = append(ops, connector.CreateOp(obj(id, "givenName", "G")))
	}
	errs := c.Apply(t.Context(), ops)
	for i, err := range errs {
		if w := want[i]; w != nil {
			wantErr(t, fmt.Sprintf("create of taken %q", ops[i].Object.ID), err, w)
		} else if err != nil {
			t.Errorf("create %d: %v", i, err)
		}
	}
	if got := dnOf(t, srv, cfg.BaseDN, "n120"); !strings.HasPrefix(got, "uid=n120,ou=c") {
		t.Errorf("n120 created as %q", got)
	}
}

// TestBatchOrderIgnoresCase: operations whose identifiers differ only in
// case name one entry (uid ignores case), so they take effect in order.
func TestBatchOrderIgnoresCase(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	seed(t, srv, cfg.BaseDN, []connector.Object{obj("bob", "givenName", "Old")})
	c := open(t, cfg)
	ops := []connector.Operation{
		connector.DeleteOp("BOB"),
		connector.CreateOp(obj("Bob", "givenName", "New")),
		connector.UpdateOp("bob", connector.Replace("sn", "Later")),
	}
	for i, err := range c.Apply(t.Context(), ops) {
		if err != nil {
			t.Errorf("operation %d: %v", i, err)
		}
	}
	got, err := c.Get(t.Context(), "bob")
	if err != nil || got.Attributes.First("givenName") != "New" || got.Attributes.First("sn") != "Later" {
		t.Errorf("after the batch: %v, %v", got, err)
	}
}

// TestBatchPasswordIsWriteOnly: a password written by a batch binds, is
// never read back, and is in no error of the batch.
func TestBatchPasswordIsWriteOnly(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	ops := []connector.Operation{
		connector.CreateOp(obj("pw", "userPassword", "batch-Secret-1")),
		connector.CreateOp(obj("pw", "userPassword", "batch-Secret-2")),
		connector.CreateOp(obj("bad", "userPassword", "batch-Secret-3", "givenName", "x", "givenName", "y", "employeeNumber", "1", "employeeNumber", "2")),
		connector.UpdateOp("missing", connector.Replace("userPassword", "batch-Secret-4")),
	}
	errs := c.Apply(ctx, ops)
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	for i, err := range errs[1:] {
		if err == nil {
			t.Errorf("operation %d succeeded", i+1)
		} else if strings.Contains(err.Error(), "batch-Secret") {
			t.Errorf("operation %d's error shows the password: %v", i+1, err)
		}
	}
	conn, err := goldap.DialURL(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Bind(dnOf(t, srv, cfg.BaseDN, "pw"), "batch-Secret-1"); err != nil {
		t.Errorf("the password written by the batch cannot bind: %v", err)
	}
	got, err := c.Get(ctx, "pw")
	if err != nil || got.Attributes["userPassword"] != nil {
		t.Errorf("Get returns userPassword: %v, %v", got.Attributes, err)
	}
}

// TestBatchAfterServerRestart: the batch connection kept from the last
// batch was closed by a server that restarted meanwhile; the next batch
// notices before anything of it was answered, sends its requests once
// more on a new connection, and every operation is done once.
func TestBatchAfterServerRestart(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	first := []connector.Operation{connector.CreateOp(obj("r0", "givenName", "Before"))}
	if err := c.Apply(ctx, first)[0]; err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	srv.Start(t)
	ops := []connector.Operation{connector.UpdateOp("r0", connector.Replace("givenName", "After"))}
	for i := range 40 {
		ops = append(ops, connector.CreateOp(obj(fmt.Sprintf("r%02d", i+1))))
	}
	for i, err := range c.Apply(ctx, ops) {
		if err != nil {
			t.Errorf("operation %d after the restart: %v", i, err)
		}
	}
	got, err := c.Get(ctx, "r0")
	if err != nil || got.Attributes.First("givenName") != "After" {
		t.Errorf("r0 after the batch: %v, %v", got, err)
	}
	if _, err := c.Get(ctx, "r40"); err != nil {
		t.Errorf("r40 after the batch: %v", err)
	}
}
