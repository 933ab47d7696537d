package synchronization_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// The groups the membership tests start with: engineering holds 10,000
// members already, sales one placeholder (groupOfNames must have a
// member), and the R&D group, whose name needs escaping in a DN, is
// declared but missing.
const rdGroup = `R&D, Inc. + "Labs"`

const deptCSV = `emp_id,login,first_name,last_name,department,state
e1,alice,Alice,Archer,engineering,active
e2,bob,Bob,Baker,sales,active
e3,carol,Carol,Cooper,"R&D, Inc. + ""Labs""",active
e4,dave,Dave,Dawson,engineering,terminated
`

// deptConfig is hr.csv imported into users with a department, and a
// directory whose accounts are members of their department's group.
func deptConfig(url, base string, tolerant bool) string {
	return `
resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }
    inbound {
      name            = lower(attributes.login)
      given_name      = attributes.first_name
      family_name     = attributes.last_name
      department      = attributes.department
      employee_number = attributes.emp_id
      status          = attributes.state == "terminated" ? "disabled" : "active"
    }
    reactions {
      unmatched = "add_focus"
    }
  }
}
resource "dir" {
  connector = "ldap"
  connection {
    url              = "` + url + `"
    bind_dn          = "` + ldaptest.RootDN + `"
    bind_password    = "` + ldaptest.RootPassword + `"
    base_dn          = "ou=people,` + base + `"
    identifier       = "uid"
    naming_attribute = "uid"
    object_classes   = ["inetOrgPerson"]
  }
  object_type "entitlement" {
    intent       = "department"
    object_class = "groupOfNames"
    group {
      container = "ou=groups,` + base + `"
      declared  = ["engineering", "sales", ` + fmt.Sprintf("%q", rdGroup) + `]
    }
  }
  object_type "account" {
    object_class   = "inetOrgPerson"
    provision_when = user.status == "active"
    correlate {
      name = attributes.uid
    }
    outbound {
      uid = user.name
      cn  = "${user.given_name} ${user.family_name}"
      sn  = user.family_name
    }
    association "department" {
      entitlement = "department"
      groups      = [user.department]
      tolerant    = ` + fmt.Sprint(tolerant) + `
    }
  }
}
task "hr-import" {
  activity "import" {
    resource = resource.hr
    thresholds {
      max_membership_removals = 5
    }
  }
}
task "recompute" {
  activity "recompute" {}
}
task "dir-reconcile" {
  activity "reconciliation" {
    resource = resource.dir
  }
}
`
}

// TestMembershipsFollowDepartments runs the whole story against a real
// slapd, counting the LDAP requests Syncline sends through a proxy.
func TestMembershipsFollowDepartments(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "ent")
	admin := srv.Admin(t)
	groups := "ou=groups," + base
	for _, ou := range []string{"people", "groups"} {
		req := goldap.NewAddRequest("ou="+ou+","+base, nil)
		req.Attribute("objectClass", []string{"organizationalUnit"})
		req.Attribute("ou", []string{ou})
		if err := admin.Add(req); err != nil {
			t.Fatal(err)
		}
	}
	fillers := make([]string, 10_000)
	for i := range fillers {
		fillers[i] = fmt.Sprintf("uid=filler%05d,ou=elsewhere,%s", i, base)
	}
	addGroup(t, admin, "cn=engineering,"+groups, fillers)
	addGroup(t, admin, "cn=sales,"+groups, []string{"cn=placeholder," + base})

	proxy := newLDAPCounter(t, srv.Addr)
	b := setup(t, map[string]string{"hr.csv": deptCSV, "main.hcl": deptConfig("ldap://"+proxy.addr(), base, true)})
	people := "ou=people," + base
	dn := func(uid string) string { return "uid=" + uid + "," + people }
	rdDN := "cn=" + `R&D\, Inc. \+ \"Labs\"` + "," + groups

	// Preview writes nothing and says what it would do.
	before := dumpTree(t, admin, base)
	preview := b.run(t, "hr-import", "preview")
	mustSucceed(t, preview)
	if after := dumpTree(t, admin, base); after != before {
		t.Fatalf("preview changed the directory")
	}
	if got := proxy.writes(); len(got) != 0 {
		t.Fatalf("preview sent writes: %v", got)
	}
	wantPreview := []string{
		"membership add alice engineering member:[]→[" + dn("alice") + "]",
		"membership add bob sales member:[]→[" + dn("bob") + "]",
		"membership add carol " + rdGroup + " member:[]→[" + dn("carol") + "]",
	}
	if d := diffLines(wantPreview, memberships(b.changes(t, preview.ID))); d != "" {
		t.Errorf("preview's membership changes:\n%s", d)
	}

	// The import creates the accounts and puts each in its group: the
	// 10,000-member group gets alice with one modify adding one value.
	proxy.reset()
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := stat(run, "memberships.add"); got != 3 {
		t.Errorf("memberships.add = %d, want 3\n%s", got, describe(run))
	}
	if got := proxy.requestsTo("modify", "cn=engineering,"+groups); len(got) != 1 || got[0].size > 512 {
		t.Errorf("modifies of the 10,000-member group: %v, want one small one", got)
	}
	if got := members(t, admin, "cn=engineering,"+groups); len(got) != 10_001 || !slices.Contains(got, dn("alice")) {
		t.Errorf("engineering has %d members (alice: %t), want 10,001 with alice", len(got), slices.Contains(got, dn("alice")))
	}
	if got := members(t, admin, rdDN); !slices.Equal(got, []string{dn("carol")}) {
		t.Errorf("the declared group %s was created with %v, want carol", rdDN, got)
	}
	again := b.run(t, "recompute", "")
	mustSucceed(t, again)
	if cs := b.changes(t, again.ID); len(cs) != 0 {
		t.Errorf("a recompute right after changed %v", cs)
	}

	// bob moves to engineering: one add and one delete.
	b.write(t, map[string]string{"hr.csv": strings.Replace(deptCSV, "Baker,sales", "Baker,engineering", 1)})
	proxy.reset()
	moved := b.run(t, "hr-import", "")
	mustSucceed(t, moved)
	wantWrites := []string{"modify cn=engineering," + groups, "modify cn=sales," + groups}
	if got := proxy.writes(); !slices.Equal(sortedStrings(got), wantWrites) {
		t.Errorf("the move sent %v, want %v", got, wantWrites)
	}
	wantMove := []string{
		"membership add bob engineering member:[]→[" + dn("bob") + "]",
		"membership remove bob sales member:[" + dn("bob") + "]→[]",
	}
	if d := diffLines(wantMove, memberships(b.changes(t, moved.ID))); d != "" {
		t.Errorf("the move's changes:\n%s", d)
	}

	// A member added by hand is reported while tolerant, by a
	// reconciliation of the directory (the entry itself did not change)...
	hand := goldap.NewModifyRequest("cn=sales,"+groups, nil)
	hand.Add("member", []string{dn("alice")})
	if err := admin.Modify(hand); err != nil {
		t.Fatal(err)
	}
	tol := b.run(t, "dir-reconcile", "")
	mustSucceed(t, tol)
	if d := diffLines([]string{"membership tolerate alice sales member:[]→[" + dn("alice") + "]"}, memberships(b.changes(t, tol.ID))); d != "" {
		t.Errorf("tolerant recompute:\n%s", d)
	}
	if !slices.Contains(members(t, admin, "cn=sales,"+groups), dn("alice")) {
		t.Error("a tolerant association removed the hand-added member")
	}
	// ... and removed once the association is not tolerant.
	b.write(t, map[string]string{"main.hcl": deptConfig("ldap://"+proxy.addr(), base, false)})
	b.apply(t)
	strict := b.run(t, "recompute", "")
	mustSucceed(t, strict)
	if d := diffLines([]string{"membership remove alice sales member:[" + dn("alice") + "]→[]"}, memberships(b.changes(t, strict.ID))); d != "" {
		t.Errorf("strict recompute:\n%s", d)
	}
	if slices.Contains(members(t, admin, "cn=sales,"+groups), dn("alice")) {
		t.Error("a strict association kept the hand-added member")
	}

	// alice is terminated: she leaves engineering before her entry goes.
	b.write(t, map[string]string{"hr.csv": strings.Replace(strings.Replace(deptCSV, "Baker,sales", "Baker,engineering", 1),
		"Archer,engineering,active", "Archer,engineering,terminated", 1)})
	proxy.reset()
	gone := b.run(t, "hr-import", "")
	mustSucceed(t, gone)
	want := []string{"modify cn=engineering," + groups, "delete " + dn("alice")}
	if got := proxy.writes(); !slices.Equal(got, want) {
		t.Errorf("the termination sent %v, want %v in that order", got, want)
	}
	if slices.Contains(members(t, admin, "cn=engineering,"+groups), dn("alice")) {
		t.Error("the terminated alice is still in engineering")
	}
}

// TestMembershipRemovalsThreshold: max_membership_removals stops the
// activity before the removal that would exceed it.
func TestMembershipRemovalsThreshold(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "thr")
	admin := srv.Admin(t)
	for _, ou := range []string{"people", "groups"} {
		req := goldap.NewAddRequest("ou="+ou+","+base, nil)
		req.Attribute("objectClass", []string{"organizationalUnit"})
		req.Attribute("ou", []string{ou})
		if err := admin.Add(req); err != nil {
			t.Fatal(err)
		}
	}
	var csv strings.Builder
	csv.WriteString("emp_id,login,first_name,last_name,department,state\n")
	for i := range 8 {
		fmt.Fprintf(&csv, "e%d,u%d,U,User%d,engineering,active\n", i, i, i)
	}
	addGroup(t, admin, "cn=engineering,ou=groups,"+base, []string{"cn=placeholder," + base})
	b := setup(t, map[string]string{"hr.csv": csv.String(), "main.hcl": deptConfig(srv.URL, base, true)})
	mustSucceed(t, b.run(t, "hr-import", ""))
	b.write(t, map[string]string{"hr.csv": strings.ReplaceAll(csv.String(), ",engineering,", ",sales,")})
	run := b.run(t, "hr-import", "")
	if run.State == "succeeded" || !strings.Contains(run.Error, "max_membership_removals = 5") {
		t.Fatalf("run %s: %s, want a stop at max_membership_removals\n%s", run.State, run.Error, describe(run))
	}
	if got := members(t, admin, "cn=engineering,ou=groups,"+base); len(got) != 1+8-5 {
		t.Errorf("engineering has %d members after the stop, want %d", len(got), 1+8-5)
	}
}

func addGroup(t *testing.T, c *goldap.Conn, dn string, members []string) {
	t.Helper()
	req := goldap.NewAddRequest(dn, nil)
	req.Attribute("objectClass", []string{"groupOfNames"})
	rdn, _, _ := strings.Cut(strings.TrimPrefix(dn, "cn="), ",")
	req.Attribute("cn", []string{rdn})
	req.Attribute("member", members)
	if err := c.Add(req); err != nil {
		t.Fatalf("adding %s: %v", dn, err)
	}
}

// members returns the member values of the group dn.
func members(t *testing.T, c *goldap.Conn, dn string) []string {
	t.Helper()
	res, err := c.Search(goldap.NewSearchRequest(dn, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"member"}, nil))
	if err != nil {
		t.Fatalf("reading %s: %v", dn, err)
	}
	return res.Entries[0].GetAttributeValues("member")
}

// dumpTree is every entry under base with every attribute, operational
// ones included, as sorted text: what ldapsearch would show.
func dumpTree(t *testing.T, c *goldap.Conn, base string) string {
	t.Helper()
	res, err := c.SearchWithPaging(goldap.NewSearchRequest(base, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"*", "+"}, nil), 500)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range res.Entries {
		for _, a := range e.Attributes {
			for _, v := range a.Values {
				lines = append(lines, e.DN+" "+a.Name+": "+v)
			}
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// memberships keeps the membership lines of changes, with the group name
// unquoted as the changes helper cannot show it.
func memberships(changes []string) []string {
	var out []string
	for _, c := range changes {
		if strings.HasPrefix(c, "membership ") {
			out = append(out, c)
		}
	}
	return out
}

func sortedStrings(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// ldapCounter is a TCP proxy in front of slapd that reads each LDAP
// message a client sends and records its operation and target DN.
type ldapCounter struct {
	ln  net.Listener
	mu  sync.Mutex
	ops []ldapOp
}

type ldapOp struct {
	op, dn string
	size   int
}

func (o ldapOp) String() string { return fmt.Sprintf("%s %s (%d bytes)", o.op, o.dn, o.size) }

func newLDAPCounter(t *testing.T, target string) *ldapCounter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &ldapCounter{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			go func() { io.Copy(client, server); client.Close() }()
			go func() { p.upstream(client, server); server.Close() }()
		}
	}()
	return p
}

func (p *ldapCounter) addr() string { return p.ln.Addr().String() }

// upstream copies messages from client to server, recording each.
func (p *ldapCounter) upstream(client, server net.Conn) {
	r := bufio.NewReader(client)
	for {
		msg, err := readBER(r)
		if err != nil {
			return
		}
		if op, ok := parseLDAPOp(msg); ok {
			p.mu.Lock()
			p.ops = append(p.ops, op)
			p.mu.Unlock()
		}
		if _, err := server.Write(msg); err != nil {
			return
		}
	}
}

func (p *ldapCounter) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ops = nil
}

// writes are the write requests sent, as "op dn", in order.
func (p *ldapCounter) writes() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, o := range p.ops {
		if o.op == "modify" || o.op == "add" || o.op == "delete" || o.op == "modifydn" {
			out = append(out, o.op+" "+o.dn)
		}
	}
	return out
}

// requestsTo are the requests op sent to dn.
func (p *ldapCounter) requestsTo(op, dn string) []ldapOp {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []ldapOp
	for _, o := range p.ops {
		if o.op == op && strings.EqualFold(o.dn, dn) {
			out = append(out, o)
		}
	}
	return out
}

// readBER reads one BER element (tag, length, contents) whole.
func readBER(r *bufio.Reader) ([]byte, error) {
	tag, err := r.ReadByte()
	if err != nil {
		return nil, err
	}
	head := []byte{tag}
	l, err := r.ReadByte()
	if err != nil {
		return nil, err
	}
	head = append(head, l)
	n := int(l)
	if l&0x80 != 0 {
		n = 0
		for range int(l & 0x7f) {
			b, err := r.ReadByte()
			if err != nil {
				return nil, err
			}
			head = append(head, b)
			n = n<<8 | int(b)
		}
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	return append(head, body...), nil
}

// element splits the BER element at the start of b into its tag, its
// contents and what follows it.
func element(b []byte) (tag byte, contents, rest []byte, ok bool) {
	if len(b) < 2 {
		return 0, nil, nil, false
	}
	tag, n, i := b[0], int(b[1]), 2
	if b[1]&0x80 != 0 {
		n = 0
		for range int(b[1] & 0x7f) {
			if i >= len(b) {
				return 0, nil, nil, false
			}
			n = n<<8 | int(b[i])
			i++
		}
	}
	if i+n > len(b) {
		return 0, nil, nil, false
	}
	return tag, b[i : i+n], b[i+n:], true
}

var ldapOps = map[byte]string{0x63: "search", 0x66: "modify", 0x68: "add", 0x4a: "delete", 0x6c: "modifydn"}

// parseLDAPOp reads an LDAPMessage's operation and the DN it names.
func parseLDAPOp(msg []byte) (ldapOp, bool) {
	_, seq, _, ok := element(msg)
	if !ok {
		return ldapOp{}, false
	}
	_, _, rest, ok := element(seq) // messageID
	if !ok || len(rest) == 0 {
		return ldapOp{}, false
	}
	name, known := ldapOps[rest[0]]
	if !known {
		return ldapOp{}, false
	}
	tag, body, _, ok := element(rest)
	if !ok {
		return ldapOp{}, false
	}
	dn := string(body) // a delete request is the DN itself
	if tag&0x20 != 0 {
		_, first, _, ok := element(body)
		if !ok {
			return ldapOp{}, false
		}
		dn = string(first)
	}
	return ldapOp{op: name, dn: dn, size: len(msg)}, true
}

// TestPosixGroupMemberUid: a posixGroup records members by uid
// (member_value = "identifier"), beside the department groups; the last
// memberUid may go.
func TestPosixGroupMemberUid(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "posix")
	admin := srv.Admin(t)
	for _, ou := range []string{"people", "groups"} {
		req := goldap.NewAddRequest("ou="+ou+","+base, nil)
		req.Attribute("objectClass", []string{"organizationalUnit"})
		req.Attribute("ou", []string{ou})
		if err := admin.Add(req); err != nil {
			t.Fatal(err)
		}
	}
	devs := goldap.NewAddRequest("cn=devs,ou=groups,"+base, nil)
	devs.Attribute("objectClass", []string{"posixGroup"})
	devs.Attribute("cn", []string{"devs"})
	devs.Attribute("gidNumber", []string{"5000"})
	if err := admin.Add(devs); err != nil {
		t.Fatal(err)
	}
	addGroup(t, admin, "cn=engineering,ou=groups,"+base, []string{"cn=placeholder," + base})
	cfg := strings.Replace(deptConfig(srv.URL, base, true), `  object_type "account" {
    object_class   = "inetOrgPerson"`, `  object_type "entitlement" {
    intent       = "unix"
    object_class = "posixGroup"
    group {
      container        = "ou=groups,`+base+`"
      member_attribute = "memberUid"
      member_value     = "identifier"
    }
  }
  object_type "account" {
    object_class   = "inetOrgPerson"
    association "unix" {
      entitlement = "unix"
      groups      = user.department == "engineering" ? ["devs"] : []
    }`, 1)
	b := setup(t, map[string]string{"hr.csv": deptCSV, "main.hcl": cfg})
	mustSucceed(t, b.run(t, "hr-import", ""))
	uids := func() []string {
		res, err := admin.Search(goldap.NewSearchRequest("cn=devs,ou=groups,"+base, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false,
			"(objectClass=*)", []string{"memberUid"}, nil))
		if err != nil {
			t.Fatal(err)
		}
		got := res.Entries[0].GetAttributeValues("memberUid")
		slices.Sort(got)
		return got
	}
	if got := uids(); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("devs has memberUid %v, want [alice]", got)
	}
	b.write(t, map[string]string{"hr.csv": strings.Replace(deptCSV, "Archer,engineering", "Archer,sales", 1)})
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := uids(); len(got) != 0 {
		t.Errorf("after alice left engineering devs has memberUid %v, want none", got)
	}
	if got := stat(run, "memberships.remove"); got != 2 {
		t.Errorf("memberships.remove = %d, want 2 (engineering and devs)\n%s", got, describe(run))
	}
}
