package ldap_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/ldap"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// The membership benchmarks: 100,000 people in 200 groups (500 each),
// person i in group i%200, written from scratch and then with 1% of the
// people moving to the next group (one add, one delete each), through the
// connector's ChangeMembers (the executor's write batches of 2,000) and,
// as the baseline, by ldapmodify (ldapadd -c with changetype: modify
// records) of the same changes as LDIF, one modify per member value too.
// Each iteration uses a fresh container whose 200 groups exist with a
// placeholder member (groupOfNames must have one).
const (
	benchPeople = 100_000
	benchGroups = 200
)

func benchMember(base string, i int) string { return fmt.Sprintf("uid=user%06d,ou=people,%s", i, base) }

func benchGroupName(g int) string { return fmt.Sprintf("group%03d", g) }

// benchGroupsSetup makes a container with ou=groups holding the 200
// groups, each with the placeholder and, when full, its 500 people.
func benchGroupsSetup(b *testing.B, srv *ldaptest.Server, full bool) (string, connector.GroupClass) {
	base := srv.NewContainer(b, "m")
	var ldif bytes.Buffer
	fmt.Fprintf(&ldif, "dn: ou=groups,%s\nobjectClass: organizationalUnit\nou: groups\n\n", base)
	for g := range benchGroups {
		fmt.Fprintf(&ldif, "dn: cn=%s,ou=groups,%s\nobjectClass: groupOfNames\ncn: %s\nmember: cn=placeholder,%s\n",
			benchGroupName(g), base, benchGroupName(g), base)
		if full {
			for i := g; i < benchPeople; i += benchGroups {
				fmt.Fprintf(&ldif, "member: %s\n", benchMember(base, i))
			}
		}
		ldif.WriteString("\n")
	}
	srv.LDAPAdd(b, ldif.Bytes())
	return base, connector.GroupClass{ObjectClass: "groupOfNames", Container: "ou=groups," + base, NameAttribute: "cn", MemberAttribute: "member"}
}

// scratchChanges are the 100,000 adds; moveChanges the 1% move: five
// people of each group join the next group and leave their own.
func scratchChanges(base string) []connector.MemberChange {
	out := make([]connector.MemberChange, benchPeople)
	for i := range benchPeople {
		out[i] = connector.MemberChange{Group: benchGroupName(i % benchGroups), Member: benchMember(base, i)}
	}
	return out
}

func moveChanges(base string) []connector.MemberChange {
	var out []connector.MemberChange
	for i := range benchPeople {
		if (i/benchGroups)%100 != 0 {
			continue // 1%: five of each group's 500
		}
		m := benchMember(base, i)
		out = append(out, connector.MemberChange{Group: benchGroupName((i + 1) % benchGroups), Member: m},
			connector.MemberChange{Group: benchGroupName(i % benchGroups), Member: m, Remove: true})
	}
	return out
}

// changesLDIF is changes as ldapmodify records.
func changesLDIF(base string, changes []connector.MemberChange) []byte {
	var ldif bytes.Buffer
	for _, ch := range changes {
		op := "add"
		if ch.Remove {
			op = "delete"
		}
		fmt.Fprintf(&ldif, "dn: cn=%s,ou=groups,%s\nchangetype: modify\n%s: member\nmember: %s\n-\n\n", ch.Group, base, op, ch.Member)
	}
	return ldif.Bytes()
}

func BenchmarkMemberships100k(b *testing.B) {
	srv := ldaptest.Start(b)
	for _, sc := range []struct {
		name    string
		full    bool
		changes func(base string) []connector.MemberChange
	}{{"scratch", false, scratchChanges}, {"move1pct", true, moveChanges}} {
		b.Run(sc.name+"/baseline-ldapmodify", func(b *testing.B) {
			n := 0
			for b.Loop() {
				b.StopTimer()
				base, _ := benchGroupsSetup(b, srv, sc.full)
				changes := sc.changes(base)
				ldif := changesLDIF(base, changes)
				n += len(changes)
				b.StartTimer()
				srv.LDAPAdd(b, ldif)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "changes/s")
		})
		b.Run(sc.name+"/connector", func(b *testing.B) {
			n := 0
			for b.Loop() {
				b.StopTimer()
				base, class := benchGroupsSetup(b, srv, sc.full)
				c, err := ldap.New(b.Context(), "dir", benchConfig(b, srv, base))
				if err != nil {
					b.Fatal(err)
				}
				changes := sc.changes(base)
				n += len(changes)
				b.StartTimer()
				for start := 0; start < len(changes); start += 2000 {
					for i, err := range c.ChangeMembers(b.Context(), class, changes[start:min(start+2000, len(changes))]) {
						if err != nil {
							b.Fatalf("change %d: %v", start+i, err)
						}
					}
				}
				b.StopTimer()
				c.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "changes/s")
		})
	}
	b.Run("read/connector-groups", func(b *testing.B) {
		base, class := benchGroupsSetup(b, srv, true)
		c, err := ldap.New(b.Context(), "dir", benchConfig(b, srv, base))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		members := 0
		for b.Loop() {
			for g, err := range c.Groups(b.Context(), class) {
				if err != nil {
					b.Fatal(err)
				}
				members += len(g.Members)
			}
		}
		b.ReportMetric(float64(members)/b.Elapsed().Seconds(), "members/s")
	})
}
