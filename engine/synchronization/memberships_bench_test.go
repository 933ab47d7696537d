package synchronization_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// moves reports whether person i (in group i%groups) is among the 1%
// who move: five of each group's 500.
func moves(i, groups int) bool { return (i/groups)%100 == 0 }

// BenchmarkMembershipsEngine runs the whole engine: an import of an HR
// file of 100,000 people in 200 departments creates their directory
// entries and puts each in their department's group (from scratch: the
// groups are declared and missing), then 1% of the people move
// department and the import runs again. The baseline is ldapmodify
// (ldapadd -c) of the equivalent LDIF in the same slapd: the entries and
// the groups with their members for the first, one add and one delete
// of a member value per person moving for the second.
func BenchmarkMembershipsEngine(b *testing.B) {
	const people, depts = 100_000, 200
	srv := ldaptest.Start(b)
	csv := func(moved bool) string {
		var w strings.Builder
		w.WriteString("emp_id,login,first_name,last_name,department,state\n")
		for i := range people {
			d := i % depts
			if moved && moves(i, depts) {
				d = (d + 1) % depts
			}
			fmt.Fprintf(&w, "e%d,u%06d,U,User%d,dept%03d,active\n", i, i, i, d)
		}
		return w.String()
	}
	declared := make([]string, depts)
	for d := range declared {
		declared[d] = fmt.Sprintf("%q", fmt.Sprintf("dept%03d", d))
	}
	for range b.N {
		b.StopTimer()
		base := srv.NewContainer(b, "bench")
		admin := srv.Admin(b)
		for _, ou := range []string{"people", "groups"} {
			req := goldap.NewAddRequest("ou="+ou+","+base, nil)
			req.Attribute("objectClass", []string{"organizationalUnit"})
			req.Attribute("ou", []string{ou})
			if err := admin.Add(req); err != nil {
				b.Fatal(err)
			}
		}
		cfg := strings.Replace(deptConfig(srv.URL, base, true), `declared  = ["engineering", "sales", `+fmt.Sprintf("%q", rdGroup)+`]`,
			"declared  = ["+strings.Join(declared, ", ")+"]", 1)
		cfg = strings.Replace(cfg, "max_membership_removals = 5", "max_membership_removals = 0", 1)
		bd := setup(b, map[string]string{"hr.csv": csv(false), "main.hcl": cfg})
		b.StartTimer()
		start := time.Now()
		mustSucceed(b, bd.run(b, "hr-import", ""))
		scratch := time.Since(start)
		b.StopTimer()
		bd.write(b, map[string]string{"hr.csv": csv(true)})
		b.StartTimer()
		start = time.Now()
		run := bd.run(b, "hr-import", "")
		move := time.Since(start)
		b.StopTimer()
		mustSucceed(b, run)
		if got := stat(run, "memberships.add") + stat(run, "memberships.remove"); got != 2*people/100 {
			b.Fatalf("the move made %d membership changes, want %d\n%s", got, 2*people/100, describe(run))
		}
		b.ReportMetric(scratch.Seconds(), "scratch-s")
		b.ReportMetric(move.Seconds(), "move1pct-s")

		// The baseline: the same end states written by ldapmodify.
		lbase := srv.NewContainer(b, "ldif")
		var ldif bytes.Buffer
		fmt.Fprintf(&ldif, "dn: ou=people,%s\nobjectClass: organizationalUnit\nou: people\n\ndn: ou=groups,%s\nobjectClass: organizationalUnit\nou: groups\n\n", lbase, lbase)
		for i := range people {
			fmt.Fprintf(&ldif, "dn: uid=u%06d,ou=people,%s\nobjectClass: inetOrgPerson\nuid: u%06d\ncn: U User%d\nsn: User%d\n\n", i, lbase, i, i, i)
		}
		for d := range depts {
			fmt.Fprintf(&ldif, "dn: cn=dept%03d,ou=groups,%s\nobjectClass: groupOfNames\ncn: dept%03d\nmember: uid=u%06d,ou=people,%s\n\n", d, lbase, d, d, lbase)
		}
		for i := depts; i < people; i++ {
			fmt.Fprintf(&ldif, "dn: cn=dept%03d,ou=groups,%s\nchangetype: modify\nadd: member\nmember: uid=u%06d,ou=people,%s\n-\n\n", i%depts, lbase, i, lbase)
		}
		start = time.Now()
		srv.LDAPAdd(b, ldif.Bytes())
		b.ReportMetric(time.Since(start).Seconds(), "baseline-scratch-s")
		ldif.Reset()
		for i := range people {
			if !moves(i, depts) {
				continue
			}
			m := fmt.Sprintf("uid=u%06d,ou=people,%s", i, lbase)
			fmt.Fprintf(&ldif, "dn: cn=dept%03d,ou=groups,%s\nchangetype: modify\nadd: member\nmember: %s\n-\n\n", (i%depts+1)%depts, lbase, m)
			fmt.Fprintf(&ldif, "dn: cn=dept%03d,ou=groups,%s\nchangetype: modify\ndelete: member\nmember: %s\n-\n\n", i%depts, lbase, m)
		}
		start = time.Now()
		srv.LDAPAdd(b, ldif.Bytes())
		b.ReportMetric(time.Since(start).Seconds(), "baseline-move1pct-s")
		b.StartTimer()
	}
}
