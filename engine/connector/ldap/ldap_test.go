package ldap_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/ldap"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// wantErr checks err is a *connector.Error of kind whose message holds
// every string of want.
func wantErr(t *testing.T, what string, err, kind error, want ...string) {
	t.Helper()
	var ce *connector.Error
	if !errors.Is(err, kind) || !errors.As(err, &ce) {
		t.Fatalf("%s: error %v, want kind %v", what, err, kind)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not say %q", what, err, w)
		}
	}
}

func obj(id string, kv ...string) connector.Object {
	attrs := connector.Attributes{"uid": {id}}
	for i := 0; i+1 < len(kv); i += 2 {
		attrs[kv[i]] = append(attrs[kv[i]], kv[i+1])
	}
	return connector.Object{ID: id, Attributes: attrs}
}

// dnOf returns the DN of the entry with uid id under base, as the server
// has it.
func dnOf(t *testing.T, srv *ldaptest.Server, base, id string) string {
	t.Helper()
	res, err := srv.Admin(t).Search(goldap.NewSearchRequest(base, goldap.ScopeWholeSubtree, 0, 0, 0, false,
		"(uid="+goldap.EscapeFilter(id)+")", []string{"1.1"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("finding uid %q: %v entries, %v", id, res, err)
	}
	return res.Entries[0].DN
}

func TestTLS(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "tls")
	tests := []struct {
		name      string
		url       string
		startTLS  bool
		caFile    string
		insecure  bool
		wantError string
	}{
		{name: "ldaps with the CA", url: srv.LDAPSURL, caFile: srv.CAFile},
		{name: "StartTLS with the CA", url: srv.URL, startTLS: true, caFile: srv.CAFile},
		{name: "ldaps, another CA", url: srv.LDAPSURL, caFile: srv.OtherCAFile, wantError: "signed by an authority syncline does not trust"},
		{name: "StartTLS, another CA", url: srv.URL, startTLS: true, caFile: srv.OtherCAFile, wantError: "signed by an authority syncline does not trust"},
		{name: "ldaps, the system's CAs", url: srv.LDAPSURL, wantError: "TLS failed"},
		{name: "ldaps to localhost", url: strings.Replace(srv.LDAPSURL, "127.0.0.1", "localhost", 1), caFile: srv.CAFile},
		{name: "ldaps without verification", url: srv.LDAPSURL, insecure: true},
		{name: "ldaps to the plain port", url: "ldaps://" + srv.Addr, caFile: srv.CAFile, wantError: "TLS failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := ldap.Config{URL: tt.url, StartTLS: tt.startTLS, CAFile: tt.caFile, InsecureSkipVerify: tt.insecure,
				BindDN: ldaptest.RootDN, BindPassword: ldaptest.RootPassword, BaseDN: base, Identifier: "uid",
				ObjectClasses: []string{ldaptest.TestClass}}
			c, err := ldap.New(t.Context(), "dir", cfg)
			if tt.wantError != "" {
				wantErr(t, "open", err, connector.ErrUnreachable, tt.wantError)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Create(t.Context(), obj("tls-"+strings.ReplaceAll(tt.name, " ", "-"))); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestBind(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "bind")
	const wrong = "Wr0ng-Secret-Value"
	cfg := ldap.Config{URL: srv.URL, BindDN: ldaptest.RootDN, BindPassword: wrong, BaseDN: base, Identifier: "uid", ObjectClasses: []string{ldaptest.TestClass}}
	_, err := ldap.New(t.Context(), "dir", cfg)
	wantErr(t, "wrong password", err, connector.ErrUnreachable, "invalid credentials", "bind_password", "the password is not shown")
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("the error shows the password: %v", err)
	}

	// Anonymous: reading works, writing is refused by the access rules.
	seedCfg := config(t, srv)
	seed(t, srv, seedCfg.BaseDN, []connector.Object{obj("anna", "givenName", "Anna")})
	anon := open(t, ldap.Config{URL: srv.URL, BaseDN: seedCfg.BaseDN, Identifier: "uid", ObjectClasses: []string{ldaptest.TestClass}})
	got, err := anon.Get(t.Context(), "anna")
	if err != nil || got.Attributes.First("givenName") != "Anna" {
		t.Fatalf("anonymous Get: %v, %v", got, err)
	}
	err = anon.Update(t.Context(), "anna", []connector.Modification{connector.Replace("givenName", "Eve")})
	wantErr(t, "anonymous write", err, connector.ErrRejected, "strong auth required", "modifications require authentication", "bind_dn")
}

func TestFilterInjection(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	for _, o := range []connector.Object{obj("alice"), obj("bob"), obj("*"), obj(`a\b`), obj("x)(uid=alice")} {
		if err := c.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"*)(uid=*))(|(uid=*", "*", "al*", `a\b`, "x)(uid=alice", "alice)(|(uid=bob"} {
		got, err := c.Get(ctx, id)
		switch {
		case slices.Contains([]string{"*", `a\b`, "x)(uid=alice"}, id):
			if err != nil || got.ID != id {
				t.Errorf("Get(%q) = %q, %v; want exactly that entry", id, got.ID, err)
			}
		default:
			wantErr(t, fmt.Sprintf("Get(%q)", id), err, connector.ErrNotFound)
		}
	}
	wantErr(t, "Update through an injected filter", c.Update(ctx, "*)(uid=*", []connector.Modification{connector.Replace("sn", "x")}), connector.ErrNotFound)
	wantErr(t, "Delete through an injected filter", c.Delete(ctx, "*)(uid=*"), connector.ErrNotFound)
	// A filter setting narrows every search; it is not a value.
	cfg.Filter = "uid=b*"
	narrowed := open(t, cfg)
	var ids []string
	for o, err := range narrowed.Search(ctx, connector.Query{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	if !slices.Equal(ids, []string{"bob"}) {
		t.Errorf("search with filter uid=b* found %q", ids)
	}
}

func TestDNEscaping(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	ids := []string{"comma,id", "plus+id", `quote"id`, `back\slash`, "#hash", "semi;colon", "<angle>", "a=b",
		" leading", "trailing ", "Jiří Nováček", "山田", "new\nline", "x\x00nul"}
	for _, id := range ids {
		t.Run(strings.ReplaceAll(id, "\x00", "NUL"), func(t *testing.T) {
			if err := c.Create(ctx, obj(id, "givenName", "v")); err != nil {
				t.Fatal(err)
			}
			dn := dnOf(t, srv, cfg.BaseDN, id)
			parsed, err := goldap.ParseDN(dn)
			if err != nil || parsed.RDNs[0].Attributes[0].Value != id {
				t.Errorf("entry %q has DN %q (parsed %v, %v)", id, dn, parsed, err)
			}
			got, err := c.Get(ctx, id)
			if err != nil || got.ID != id {
				t.Fatalf("Get(%q) = %q, %v", id, got.ID, err)
			}
			if err := c.Delete(ctx, id); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestEscapeDNValue(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain":      "plain",
		"a,b+c":      `a\,b\+c`,
		`"q"\`:       `\"q\"\\`,
		"#x#":        `\#x#`,
		" x ":        `\ x\ `,
		"  ":         `\ \ `,
		"x;<>":       `x\;\<\>`,
		"Jiří":       "Jiří",
		"new\nline":  `new\0aline`,
		"nul\x00":    `nul\00`,
		"bad\xffutf": `bad\ffutf`,
	} {
		if got := ldap.EscapeDNValue(in); got != want {
			t.Errorf("EscapeDNValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBinaryAttributes(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	base := cfg.BaseDN
	c := open(t, cfg)
	ctx := t.Context()
	photo := make([]byte, 3000)
	rand.Read(photo)
	photo[0], photo[1] = 0xff, 0xd8 // not UTF-8
	enc := base64.StdEncoding.EncodeToString(photo)
	if err := c.Create(ctx, obj("pic", "jpegPhoto", enc)); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, "pic")
	if err != nil || got.Attributes.First("jpegPhoto") != enc {
		t.Fatalf("jpegPhoto read back differs: %v", err)
	}
	res, err := srv.Admin(t).Search(goldap.NewSearchRequest(dnOf(t, srv, base, "pic"), goldap.ScopeBaseObject, 0, 0, 0, false,
		"(objectClass=*)", []string{"jpegPhoto"}, nil))
	if err != nil || !bytes.Equal(res.Entries[0].GetRawAttributeValue("jpegPhoto"), photo) {
		t.Errorf("the directory holds other bytes than were written: %v", err)
	}
	second := base64.RawStdEncoding.EncodeToString([]byte{0, 1, 2}) // unpadded is read too
	if err := c.Update(ctx, "pic", []connector.Modification{connector.Add("jpegPhoto", second)}); err != nil {
		t.Fatal(err)
	}
	got, _ = c.Get(ctx, "pic")
	if want := []string{enc, base64.StdEncoding.EncodeToString([]byte{0, 1, 2})}; !slices.Equal(got.Attributes["jpegPhoto"], want) {
		t.Errorf("jpegPhoto = %d values, want the two written", len(got.Attributes["jpegPhoto"]))
	}
	err = c.Update(ctx, "pic", []connector.Modification{connector.Replace("jpegPhoto", "not base64!")})
	wantErr(t, "a binary value that is not base64", err, connector.ErrInvalidObject, "base64")
}

func TestPasswordIsWriteOnly(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	if err := c.Create(ctx, obj("pw", "userPassword", "first-Secret", "givenName", "P")); err != nil {
		t.Fatal(err)
	}
	dn := dnOf(t, srv, cfg.BaseDN, "pw")
	canBind := func(pw string) bool {
		conn, err := goldap.DialURL(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		return conn.Bind(dn, pw) == nil
	}
	if !canBind("first-Secret") {
		t.Fatal("the password written cannot bind")
	}
	got, err := c.Get(ctx, "pw")
	if err != nil || got.Attributes["userPassword"] != nil {
		t.Errorf("Get returns userPassword: %v, %v", got.Attributes, err)
	}
	for o, err := range c.Search(ctx, connector.Query{}) {
		if err != nil || o.Attributes["userPassword"] != nil {
			t.Errorf("Search returns userPassword: %v, %v", o.Attributes, err)
		}
	}
	if err := c.Update(ctx, "pw", []connector.Modification{connector.Replace("userPassword", "second-Secret")}); err != nil {
		t.Fatal(err)
	}
	if canBind("first-Secret") || !canBind("second-Secret") {
		t.Error("replacing userPassword did not change the password")
	}
	res, err := c.Test(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Attributes {
		if a.Name == "userPassword" && !strings.Contains(a.Type, "write-only") {
			t.Errorf("Test describes userPassword as %q", a.Type)
		}
	}
}

func TestServerErrors(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	var objs []connector.Object
	for i := range 10 {
		objs = append(objs, obj(fmt.Sprintf("e%02d", i)))
	}
	seed(t, srv, cfg.BaseDN, objs)

	person := cfg
	person.ObjectClasses = []string{"inetOrgPerson"}
	persons := open(t, person)
	wantErr(t, "inetOrgPerson without cn and sn", persons.Create(ctx, obj("p1", "givenName", "P")), connector.ErrInvalidObject,
		"object class violation", "the server said", "inetOrgPerson needs cn and sn")
	wantErr(t, "non-ASCII mail", c.Create(ctx, obj("p2", "mail", "jiří@example.com")), connector.ErrInvalidObject,
		"invalid attribute syntax", "syntax")
	wantErr(t, "two values of a single-valued attribute", c.Create(ctx, obj("p3", "employeeNumber", "1", "employeeNumber", "2")),
		connector.ErrInvalidObject, "single-valued")
	wantErr(t, "an unknown attribute", c.Create(ctx, obj("p4", "givenNme", "x")), connector.ErrInvalidObject, `Did you mean "givenName"?`)
	wantErr(t, "objectClass", c.Update(ctx, "e01", []connector.Modification{connector.Add("objectClass", "person")}), connector.ErrInvalidObject, "object_classes")
	wantErr(t, "an unknown class", func() error {
		for _, err := range c.Search(ctx, connector.Query{ObjectClass: "inetOrgPersn"}) {
			return err
		}
		return nil
	}(), connector.ErrSchema, `Did you mean "inetOrgPerson"?`)

	limited := cfg
	limited.BindDN, limited.BindPassword = ldaptest.LimitedDN, ldaptest.LimitedPassword
	var last error
	for _, err := range open(t, limited).Search(ctx, connector.Query{PageSize: 3}) {
		last = err
	}
	wantErr(t, "a search past the size limit", last, connector.ErrRejected, "size limit exceeded", "olcLimits")

	reader := cfg
	reader.BindDN, reader.BindPassword = ldaptest.ReaderDN, ldaptest.ReaderPassword
	wantErr(t, "a write without the right", open(t, reader).Create(ctx, obj("p5")), connector.ErrRejected,
		"insufficient access", "access rules")

	// An entry with an entry below it cannot be deleted.
	parent := dnOf(t, srv, cfg.BaseDN, "e02")
	child := goldap.NewAddRequest("uid=child,"+parent, nil)
	child.Attribute("objectClass", []string{ldaptest.TestClass})
	child.Attribute("uid", []string{"child"})
	if err := srv.Admin(t).Add(child); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "deleting a non-leaf", c.Delete(ctx, "e02"), connector.ErrInvalidObject, "not allowed on non leaf", "subtrees")

	missing := cfg
	missing.BaseDN = "ou=missing," + ldaptest.Suffix
	missing.Container = ""
	_, err := ldap.New(ctx, "dir", missing)
	wantErr(t, "a base_dn that does not exist", err, connector.ErrSchema, "does not exist")
	outside := cfg
	outside.Container = "ou=elsewhere," + ldaptest.Suffix
	_, err = ldap.New(ctx, "dir", outside)
	wantErr(t, "a container outside base_dn", err, connector.ErrConfig, "not inside base_dn")
}

func TestEntryUUIDIdentifier(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	seed(t, srv, cfg.BaseDN, []connector.Object{obj("u1", "givenName", "One"), obj("u2", "givenName", "Two")})
	cfg.Identifier = ""
	c := open(t, cfg)
	ctx := t.Context()
	if c.Capabilities().Create {
		t.Error("Create is a capability with a server-assigned identifier")
	}
	wantErr(t, "Create", c.Create(ctx, obj("u3")), connector.ErrUnsupported, "assigned by the directory")
	var uuids []string
	for o, err := range c.Search(ctx, connector.Query{}) {
		if err != nil {
			t.Fatal(err)
		}
		if o.Attributes.First("entryUUID") != o.ID || len(o.ID) != 36 {
			t.Errorf("object %q has entryUUID %q", o.ID, o.Attributes["entryUUID"])
		}
		uuids = append(uuids, o.ID)
	}
	if len(uuids) != 2 {
		t.Fatalf("found %d entries", len(uuids))
	}
	upper := strings.ToUpper(uuids[0])
	if c.MatchKey(upper) != c.MatchKey(uuids[0]) {
		t.Error("MatchKey tells a UUID's case apart")
	}
	if err := c.Update(ctx, upper, []connector.Modification{connector.Replace("sn", "Changed")}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, uuids[0])
	if err != nil || got.Attributes.First("sn") != "Changed" {
		t.Errorf("after Update: %v, %v", got, err)
	}
	wantErr(t, "changing entryUUID", c.Update(ctx, uuids[0], []connector.Modification{connector.Replace("entryUUID", uuids[1])}),
		connector.ErrInvalidObject, "cannot change")
	if err := c.Delete(ctx, uuids[1]); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "Get after Delete", func() error { _, err := c.Get(ctx, uuids[1]); return err }(), connector.ErrNotFound)
}

func TestMatchKeyFollowsTheEqualityRule(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	c := open(t, config(t, srv))
	if err := c.Create(t.Context(), obj("Alice Smith")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"alice smith", "ALICE  SMITH", " Alice Smith "} {
		if c.MatchKey(id) != c.MatchKey("Alice Smith") {
			t.Errorf("MatchKey(%q) = %q, want the key of \"Alice Smith\"", id, c.MatchKey(id))
		}
		got, err := c.Get(t.Context(), id)
		if err != nil || got.ID != "Alice Smith" {
			t.Errorf("Get(%q) = %q, %v", id, got.ID, err)
		}
	}
	wantErr(t, "Create of the same uid in other case", c.Create(t.Context(), obj("alice smith")), connector.ErrAlreadyExists)
}

// TestNamingAttributeChangeMovesTheEntry: identified by entryUUID, an
// entry whose naming attribute gets a new value is moved to its new RDN
// by ModifyDN (a modify cannot change an RDN value) — the same entry,
// with its other changes made too.
func TestNamingAttributeChangeMovesTheEntry(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	seed(t, srv, cfg.BaseDN, []connector.Object{obj("zoe.bronte", "sn", "Brontë"), obj("taken", "sn", "Other")})
	cfg.Identifier = ""
	c := open(t, cfg)
	ctx := t.Context()
	var uuid string
	for o, err := range c.Search(ctx, connector.Query{}) {
		if err != nil {
			t.Fatal(err)
		}
		if o.Attributes.First("uid") == "zoe.bronte" {
			uuid = o.ID
		}
	}
	if err := c.Update(ctx, uuid, []connector.Modification{connector.Replace("uid", "zoe.gaskell"), connector.Replace("sn", "Gaskell")}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, uuid)
	if err != nil || got.Attributes.First("uid") != "zoe.gaskell" || got.Attributes.First("sn") != "Gaskell" {
		t.Fatalf("after the update: %v, %v", got, err)
	}
	if dn := dnOf(t, srv, cfg.BaseDN, "zoe.gaskell"); !strings.HasPrefix(dn, "uid=zoe.gaskell,") {
		t.Errorf("the entry's DN is %q", dn)
	}
	wantErr(t, "a naming value another entry has", c.Update(ctx, uuid, []connector.Modification{connector.Replace("uid", "taken")}),
		connector.ErrAlreadyExists)
	wantErr(t, "two naming values", c.Update(ctx, uuid, []connector.Modification{connector.Add("uid", "second")}),
		connector.ErrInvalidObject, "exactly one value")
}
