// Package hrtoldap tests the hr-to-ldap example as a new user runs it:
// the built syncline binary against a real slapd.
package hrtoldap_test

import (
	"encoding/base64"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
	"github.com/syncline/syncline/internal/exampletest"
)

// TestExample runs `syncline up` on a copy of the example against the
// harness's slapd, checks with ldapsearch that the entries are there with
// their diacritics, then terminates a person in the HR file and checks
// that the next round deletes the entry, as the object type says.
func TestExample(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	for _, ou := range []string{"people", "groups"} {
		req := goldap.NewAddRequest("ou="+ou+","+ldaptest.Suffix, nil)
		req.Attribute("objectClass", []string{"organizationalUnit"})
		req.Attribute("ou", []string{ou})
		if err := srv.Admin(t).Add(req); err != nil {
			t.Fatal(err)
		}
	}
	bin := exampletest.Build(t)
	dir := exampletest.Copy(t, "syncline.hcl", "resources.hcl", "tasks.hcl", "data/hr.csv")
	env := append(os.Environ(), "SYNCLINE_VAR_ldap_url="+srv.URL, "SYNCLINE_VAR_ldap_password="+ldaptest.RootPassword)
	up := func() string {
		cmd := exec.Command(bin, "up", dir)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("syncline up: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := up(); !strings.Contains(out, "accounts:     4 created") || !strings.Contains(out, "memberships:  4 added") {
		t.Errorf("first round:\n%s", out)
	}
	checkGroups(t, srv, map[string][]string{"engineering": {"jiri.novacek", "zoe.bronte"}, "sales": {"anna.svobodova", "lukasz.zolc"}})
	got := ldapsearch(t, srv)
	for uid, cn := range map[string]string{"jiri.novacek": "Jiří Nováček", "anna.svobodova": "Anna Svobodová", "lukasz.zolc": "Łukasz Żółć", "zoe.bronte": "Zoë Brontë"} {
		if got[uid] != cn {
			t.Errorf("ldapsearch shows uid %s with cn %q, want %q", uid, got[uid], cn)
		}
	}
	hr := filepath.Join(dir, "data", "hr.csv")
	data, err := os.ReadFile(hr)
	if err != nil {
		t.Fatal(err)
	}
	terminated := strings.Replace(string(data), "anna.svobodova@hr.example.com,sales,active", "anna.svobodova@hr.example.com,sales,terminated", 1)
	if err := os.WriteFile(hr, []byte(terminated), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := up(); !strings.Contains(out, "accounts:     1 deleted") || !strings.Contains(out, "memberships:  1 removed") {
		t.Errorf("round after the termination:\n%s", out)
	}
	checkGroups(t, srv, map[string][]string{"engineering": {"jiri.novacek", "zoe.bronte"}, "sales": {"lukasz.zolc"}})
	if got := ldapsearch(t, srv); len(got) != 3 || got["anna.svobodova"] != "" {
		t.Errorf("after the termination ldapsearch shows %v, want the three others", got)
	}
	if out := up(); strings.Contains(out, "created") || strings.Contains(out, "deleted") {
		t.Errorf("a round with nothing to do changed something:\n%s", out)
	}

	// A changed name (a marriage) renames the user and, by ModifyDN, the
	// entry: the same entry (entryUUID), its new uid as its RDN.
	before := entryUUID(t, srv, "zoe.bronte")
	married := strings.Replace(terminated, "e2004,Zoë,Brontë,", "e2004,Zoë,Gaskell,", 1)
	if err := os.WriteFile(hr, []byte(married), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := up(); !strings.Contains(out, "1 renamed") {
		t.Errorf("round after the name change:\n%s", out)
	}
	if got := entryUUID(t, srv, "zoe.gaskell"); got == "" || got != before {
		t.Errorf("uid=zoe.gaskell has entryUUID %q, want the renamed entry's %q", got, before)
	}
	if got := ldapsearch(t, srv); got["zoe.gaskell"] != "Zoë Gaskell" || got["zoe.bronte"] != "" {
		t.Errorf("after the rename ldapsearch shows %v", got)
	}
	if out := up(); strings.Contains(out, "renamed") || strings.Contains(out, "created") {
		t.Errorf("a round after the rename changed something again:\n%s", out)
	}
	// The renamed entry's groups name its new DN (no refint overlay here).
	checkGroups(t, srv, map[string][]string{"engineering": {"jiri.novacek", "zoe.gaskell"}, "sales": {"lukasz.zolc"}})

	// Jiří moves to sales: one membership added, one removed, and runs
	// show lists both.
	moved := strings.Replace(married, "jiri.novacek@hr.example.com,engineering,", "jiri.novacek@hr.example.com,sales,", 1)
	if err := os.WriteFile(hr, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	out := up()
	if !strings.Contains(out, "memberships:  1 added, 1 removed") {
		t.Errorf("round after the move:\n%s", out)
	}
	checkGroups(t, srv, map[string][]string{"engineering": {"zoe.gaskell"}, "sales": {"jiri.novacek", "lukasz.zolc"}})
	id := runToShow(t, out)
	show := exec.Command(bin, "runs", "show", "-state", filepath.Join(dir, ".syncline", "state.db"), id)
	shown, err := show.CombinedOutput()
	if err != nil {
		t.Fatalf("runs show %s: %v\n%s", id, err, shown)
	}
	for _, line := range []string{"+ member dir/sales <- jiri.novacek", "- member dir/engineering <- jiri.novacek"} {
		if !strings.Contains(string(shown), line) {
			t.Errorf("runs show %s does not list %q:\n%s", id, line, shown)
		}
	}
}

// runToShow is the run id up names in "What a run did: … ID".
func runToShow(t *testing.T, out string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "What a run did: "); ok {
			f := strings.Fields(rest)
			return f[len(f)-1]
		}
	}
	t.Fatalf("up names no run to show:\n%s", out)
	return ""
}

// checkGroups checks, with ldapsearch, the uids of the members of each
// group under ou=groups.
func checkGroups(t *testing.T, srv *ldaptest.Server, want map[string][]string) {
	t.Helper()
	for group, uids := range want {
		out, err := exec.Command("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H", srv.URL,
			"-b", "cn="+group+",ou=groups,"+ldaptest.Suffix, "-s", "base", "(objectClass=groupOfNames)", "member").Output()
		if err != nil {
			t.Errorf("ldapsearch of group %s: %v", group, err)
			continue
		}
		var got []string
		for _, line := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(line, "member: uid="); ok {
				uid, _, _ := strings.Cut(v, ",")
				got = append(got, uid)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, uids) {
			t.Errorf("group %s has members %v, want %v", group, got, uids)
		}
	}
}

// entryUUID is the entryUUID of the entry with uid under ou=people, or "".
func entryUUID(t *testing.T, srv *ldaptest.Server, uid string) string {
	t.Helper()
	out, err := exec.Command("ldapsearch", "-x", "-LLL", "-H", srv.URL, "-b", "uid="+uid+",ou=people,"+ldaptest.Suffix,
		"-s", "base", "(objectClass=*)", "entryUUID").Output()
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "entryUUID: "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestStartScript starts and stops the example's throwaway slapd, as the
// README's first command does.
func TestStartScript(t *testing.T) {
	t.Parallel()
	ldaptest.Start(t) // skips or fails as the harness does when slapd is missing
	tmp, err := os.MkdirTemp("", "hrldap")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) }) // after the stop below: cleanups run last first
	port := strings.TrimPrefix(freeAddr(t), "127.0.0.1:")
	script, _ := filepath.Abs("start-slapd.sh")
	run := func(args ...string) string {
		cmd := exec.Command(script, args...)
		cmd.Env = append(os.Environ(), "PORT="+port, "TMPDIR="+tmp)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("start-slapd.sh %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	t.Cleanup(func() { run("stop") })
	if out := run(); !strings.Contains(out, "slapd listens on ldap://127.0.0.1:"+port) {
		t.Fatalf("start-slapd.sh said:\n%s", out)
	}
	c, err := goldap.DialURL("ldap://127.0.0.1:" + port)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind("cn=admin,dc=example,dc=org", "syncline-example"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Search(goldap.NewSearchRequest("ou=people,dc=example,dc=org", goldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", nil, nil)); err != nil {
		t.Errorf("ou=people: %v", err)
	}
}

// ldapsearch lists uid -> cn of the entries under ou=people, with
// ldapsearch's LDIF decoded (it writes non-ASCII values base64-encoded).
func ldapsearch(t *testing.T, srv *ldaptest.Server) map[string]string {
	t.Helper()
	out, err := exec.Command("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H", srv.URL, "-b", "ou=people,"+ldaptest.Suffix,
		"(objectClass=inetOrgPerson)", "uid", "cn").Output()
	if err != nil {
		t.Fatalf("ldapsearch: %v", err)
	}
	got := map[string]string{}
	for _, rec := range strings.Split(strings.TrimSpace(string(out)), "\n\n") {
		var uid, cn string
		for _, line := range strings.Split(rec, "\n") {
			name, value, _ := strings.Cut(line, ":")
			if b64, ok := strings.CutPrefix(value, ": "); ok {
				raw, _ := base64.StdEncoding.DecodeString(b64)
				value = string(raw)
			} else {
				value = strings.TrimPrefix(value, " ")
			}
			switch name {
			case "uid":
				uid = value
			case "cn":
				cn = value
			}
		}
		if uid != "" {
			got[uid] = cn
		}
	}
	return got
}

func freeAddr(t *testing.T) string {
	t.Helper()
	c, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.Addr().String()
}
