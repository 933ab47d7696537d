package ldap_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/ldap"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// person is the i-th generated person, the same for the connector and for
// ldapadd.
func person(i int) connector.Object {
	uid := fmt.Sprintf("user%06d", i)
	return connector.Object{ID: uid, Attributes: connector.Attributes{
		"uid": {uid}, "cn": {fmt.Sprintf("Jiří Nováček %d", i)}, "sn": {"Nováček"}, "givenName": {"Jiří"},
		"mail": {uid + "@example.com"}, "employeeNumber": {fmt.Sprint(i)}, "description": {fmt.Sprintf("dept %d", i%50)},
	}}
}

// personLDIF is person(i) as an LDIF record under base.
func personLDIF(w *bytes.Buffer, base string, i int) {
	o := person(i)
	fmt.Fprintf(w, "dn: uid=%s,%s\nobjectClass: inetOrgPerson\n", o.ID, base)
	for _, name := range o.Attributes.Names() {
		for _, v := range o.Attributes[name] {
			if isASCII(v) {
				fmt.Fprintf(w, "%s: %s\n", name, v)
			} else {
				fmt.Fprintf(w, "%s:: %s\n", name, b64(v))
			}
		}
	}
	w.WriteString("\n")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func benchConfig(b testing.TB, srv *ldaptest.Server, base string) ldap.Config {
	return ldap.Config{URL: srv.URL, BindDN: ldaptest.RootDN, BindPassword: ldaptest.RootPassword, BaseDN: base,
		Identifier: "uid", NamingAttribute: "uid", ObjectClasses: []string{"inetOrgPerson"}}
}

// BenchmarkProvision20k creates 20,000 inetOrgPerson entries through the
// connector, one Create each (a search for the identifier, then an add),
// next to the baseline: ldapadd -c of the same entries as LDIF into the
// same slapd, in the same run. Each iteration uses a fresh container.
func BenchmarkProvision20k(b *testing.B) {
	const n = 20_000
	srv := ldaptest.Start(b)
	b.Run("baseline-ldapadd", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			base := srv.NewContainer(b, "b")
			var ldif bytes.Buffer
			for i := range n {
				personLDIF(&ldif, base, i)
			}
			b.StartTimer()
			srv.LDAPAdd(b, ldif.Bytes())
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("connector-create", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			c, err := ldap.New(b.Context(), "dir", benchConfig(b, srv, srv.NewContainer(b, "c")))
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			for i := range n {
				if err := c.Create(b.Context(), person(i)); err != nil {
					b.Fatal(err)
				}
			}
			c.Close()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("connector-batch-500", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			c, err := ldap.New(b.Context(), "dir", benchConfig(b, srv, srv.NewContainer(b, "a")))
			if err != nil {
				b.Fatal(err)
			}
			ops := make([]connector.Operation, n)
			for i := range n {
				ops[i] = connector.CreateOp(person(i))
			}
			b.StartTimer()
			applyAll(b, c, ops, 500)
			c.Close()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}

// BenchmarkProvisionPaired is BenchmarkProvision20k's batch against its
// baseline measured in turns, for a machine whose load changes from one
// second to the next: 20,000 entries in four slices of 5,000, each slice
// written by ldapadd -c into one container and by the connector's Apply
// (batches of 500) into another, the one going first alternating (ABBA).
// It reports both rates over the whole run and their ratio, and the CPU
// time of each client per entry (ldapadd's as a child process; the
// batch's is this whole process's, the Go runtime's included). ldapadd pays
// a process start and a bind per slice (about 5 ms, some 2%).
func BenchmarkProvisionPaired(b *testing.B) {
	const n, slice = 20_000, 5_000
	srv := ldaptest.Start(b)
	var ldapadd, batch, ldapaddCPU, batchCPU time.Duration
	// cpu adds the CPU time fn costs this process (self) or the children
	// it waits for (ldapadd) to into.
	cpu := func(into *time.Duration, children bool, fn func()) {
		self0, kids0 := cpuTime()
		fn()
		self, kids := cpuTime()
		if children {
			*into += kids - kids0
		} else {
			*into += self - self0
		}
	}
	b.StopTimer()
	for range b.N {
		c, err := ldap.New(b.Context(), "dir", benchConfig(b, srv, srv.NewContainer(b, "p")))
		if err != nil {
			b.Fatal(err)
		}
		base := srv.NewContainer(b, "q")
		for k := range n / slice {
			var ldif bytes.Buffer
			ops := make([]connector.Operation, 0, slice)
			for i := k * slice; i < (k+1)*slice; i++ {
				personLDIF(&ldif, base, i)
				ops = append(ops, connector.CreateOp(person(i)))
			}
			runs := []func(){
				func() { cpu(&ldapaddCPU, true, func() { ldapadd += timed(func() { srv.LDAPAdd(b, ldif.Bytes()) }) }) },
				func() { cpu(&batchCPU, false, func() { batch += timed(func() { applyAll(b, c, ops, 500) }) }) },
			}
			if k%2 == 1 {
				runs[0], runs[1] = runs[1], runs[0]
			}
			runs[0]()
			runs[1]()
		}
		c.Close()
	}
	rate := func(d time.Duration) float64 { return float64(n) * float64(b.N) / d.Seconds() }
	b.ReportMetric(rate(ldapadd), "ldapadd-entries/s")
	b.ReportMetric(rate(batch), "batch-entries/s")
	b.ReportMetric(rate(batch)/rate(ldapadd), "ratio")
	perEntry := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(n*b.N) }
	b.ReportMetric(perEntry(ldapaddCPU), "ldapadd-cpu-µs/entry")
	b.ReportMetric(perEntry(batchCPU), "batch-cpu-µs/entry")
}

func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

// applyAll applies ops in batches of size, failing b on any error.
func applyAll(b testing.TB, c *ldap.Connector, ops []connector.Operation, size int) {
	for batch := range slices.Chunk(ops, size) {
		for i, err := range c.Apply(b.Context(), batch) {
			if err != nil {
				b.Fatalf("operation %d: %v", i, err)
			}
		}
	}
}

// BenchmarkSearch100k reads 100,000 entries with Search and compares each
// with the object expected, as a reconciliation that changes nothing does
// (entries/s). The entries are loaded once with ldapadd.
func BenchmarkSearch100k(b *testing.B) {
	const n = 100_000
	srv := ldaptest.Start(b)
	base := srv.NewContainer(b, "s")
	var ldif bytes.Buffer
	for i := range n {
		personLDIF(&ldif, base, i)
	}
	srv.LDAPAdd(b, ldif.Bytes())
	want := make(map[string]connector.Attributes, n)
	for i := range n {
		o := person(i)
		want[o.ID] = o.Attributes
	}
	b.Run("baseline-ldapsearch-page-2000", func(b *testing.B) {
		defer reportCPU(b, n, true)()
		for b.Loop() {
			out, err := exec.Command("ldapsearch", "-x", "-LLL", "-H", srv.URL, "-D", ldaptest.RootDN, "-w", ldaptest.RootPassword,
				"-E", "pr=2000/noprompt", "-b", base, "(objectClass=inetOrgPerson)").Output()
			if err != nil {
				b.Fatal(err)
			}
			if got := bytes.Count(out, []byte("\ndn: ")) + 1; got != n {
				b.Fatalf("ldapsearch printed %d entries", got)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("baseline-go-ldap-paging-2000", func(b *testing.B) {
		conn := srv.Admin(b)
		defer reportCPU(b, n, false)()
		for b.Loop() {
			res, err := conn.SearchWithPaging(goldap.NewSearchRequest(base, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
				"(objectClass=inetOrgPerson)", []string{"*"}, nil), 2000)
			if err != nil || len(res.Entries) != n {
				b.Fatalf("%v entries, %v", len(res.Entries), err)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	for _, size := range []int{500, 2000} {
		b.Run(fmt.Sprintf("search-compare-page-%d", size), func(b *testing.B) {
			c, err := ldap.New(b.Context(), "dir", benchConfig(b, srv, base))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			defer reportCPU(b, n, false)()
			for b.Loop() {
				same := 0
				for o, err := range c.Search(b.Context(), connector.Query{PageSize: size}) {
					if err != nil {
						b.Fatal(err)
					}
					if o.Attributes.Equal(want[o.ID]) {
						same++
					}
				}
				if same != n {
					b.Fatalf("%d of %d entries as expected", same, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// reportCPU starts counting the client's CPU time and returns what
// reports it as client-cpu-µs/entry for n entries an iteration: this
// process's, or its finished children's (ldapsearch) when children.
func reportCPU(b *testing.B, n int, children bool) func() {
	self0, children0 := cpuTime()
	return func() {
		self, kids := cpuTime()
		used := self - self0
		if children {
			used = kids - children0
		}
		b.ReportMetric(float64(used.Microseconds())/float64(n*b.N), "client-cpu-µs/entry")
	}
}

// TestBenchmarkData checks the generated LDIF and the connector agree, so
// the two halves of BenchmarkProvision20k write the same entries.
func TestBenchmarkData(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "d")
	var ldif bytes.Buffer
	for i := range 3 {
		personLDIF(&ldif, base, i)
	}
	srv.LDAPAdd(t, ldif.Bytes())
	c, err := ldap.New(t.Context(), "dir", ldap.Config{URL: srv.URL, BindDN: ldaptest.RootDN, BindPassword: ldaptest.RootPassword,
		BaseDN: base, Identifier: "uid", ObjectClasses: []string{"inetOrgPerson"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 3 {
		got, err := c.Get(t.Context(), person(i).ID)
		if err != nil || !got.Attributes.Equal(person(i).Attributes) {
			t.Errorf("entry %d: %v, %v; want %v", i, got.Attributes, err, person(i).Attributes)
		}
	}
	if !strings.Contains(ldif.String(), "cn:: ") {
		t.Error("non-ASCII values are not base64 in the LDIF")
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
