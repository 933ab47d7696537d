package synchronization_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
	"github.com/syncline/syncline/state"
)

// ldapBenchEnv sets how many entries BenchmarkLDAPEngine's no-op
// reconciliation reads (issue 16: 100,000); its provisioning phase
// creates a fifth of them, at most 20,000 (issue 16: 20,000).
const ldapBenchEnv = "SYNCLINE_BENCH_LDAP_ENTRIES"

// ldapRoundsEnv sets how many pairs of ldapadd and the engine
// BenchmarkLDAPEngine's provisioning phase runs (default 3).
const ldapRoundsEnv = "SYNCLINE_BENCH_LDAP_ROUNDS"

// ldapProvisionRounds is the number of pairs ldapRoundsEnv asks for.
func ldapProvisionRounds(b *testing.B) int {
	v := os.Getenv(ldapRoundsEnv)
	if v == "" {
		return 3
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a number of pairs, at least 1", ldapRoundsEnv, v)
	}
	return n
}

// median is the middle of xs (the mean of the two middle ones when even).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ldapPeopleConfig is an HR export provisioned to inetOrgPerson entries.
func ldapPeopleConfig(url, base string) string {
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
      name            = attributes.login
      given_name      = attributes.first_name
      family_name     = attributes.last_name
      employee_number = attributes.emp_id
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
    base_dn          = "` + base + `"
    identifier       = "uid"
    naming_attribute = "uid"
    object_classes   = ["inetOrgPerson"]
  }
  object_type "account" {
    object_class = "inetOrgPerson"
    correlate {
      name = attributes.uid
    }
    outbound {
      uid = user.name
      cn  = "${user.given_name} ${user.family_name}"
      sn  = user.family_name
    }
  }
}
task "hr-import" {
  activity "import" {
    resource = resource.hr
  }
}
task "dir-reconcile" {
  activity "reconciliation" {
    resource = resource.dir
  }
}
`
}

// BenchmarkLDAPEngine measures issue 16's two figures through the whole
// engine, each beside its baseline in the same run on the same slapd:
//
//   - provision: an import of an HR export of P people (P = N/5, at most
//     20,000) that creates each one's entry, against ldapadd -c of the
//     same entries as LDIF (ratio: the engine's rate over ldapadd's),
//     in alternating pairs (SYNCLINE_BENCH_LDAP_ROUNDS, default 3), the
//     medians reported and every pair logged;
//   - noop: a reconciliation of N entries that are as the users say
//     (the second after the import that created them: nothing to do),
//     in entries/s; its baseline is ldapsearch of the same entries.
func BenchmarkLDAPEngine(b *testing.B) {
	entries := 100_000
	if v := os.Getenv(ldapBenchEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 {
			b.Fatalf("%s=%q: want a number of entries, at least 5", ldapBenchEnv, v)
		}
		entries = n
	}
	provision := min(entries/5, 20_000)
	hr := func(n int) string {
		var w strings.Builder
		w.WriteString("emp_id,login,first_name,last_name\n")
		for i := range n {
			fmt.Fprintf(&w, "e%d,u%06d,Jiří,Nováček%d\n", i, i, i)
		}
		return w.String()
	}
	ldif := func(base string, n int) []byte {
		var w bytes.Buffer
		for i := range n {
			fmt.Fprintf(&w, "dn: uid=u%06d,%s\nobjectClass: inetOrgPerson\nuid: u%06d\ncn:: %s\nsn:: %s\n\n", i, base, i,
				base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("Jiří Nováček%d", i))), base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("Nováček%d", i))))
		}
		return w.Bytes()
	}
	for range b.N {
		// Provisioning: pairs of ldapadd and the engine, each into a
		// slapd of its own (adds slow down as a directory grows: the
		// objectClass index's list of entries), the first of a pair
		// alternating; the figures are the medians over the pairs
		// (ldapadd's rate is a round trip's, which swings with how idle
		// the machine is).
		b.StopTimer()
		var adds, engines, ratios []float64
		for round := range ldapProvisionRounds(b) {
			var baseline, engine time.Duration
			ldapadd := func() {
				srv := ldaptest.Start(b)
				defer srv.Stop()
				data := ldif(srv.NewContainer(b, "ldif"), provision)
				runtime.GC() // the other's garbage is not this one's work
				start := time.Now()
				srv.LDAPAdd(b, data)
				baseline = time.Since(start)
			}
			viaEngine := func() {
				srv := ldaptest.Start(b)
				defer srv.Stop()
				base := srv.NewContainer(b, "engine")
				bd := setup(b, map[string]string{"hr.csv": hr(provision), "main.hcl": ldapPeopleConfig(srv.URL, base)})
				runtime.GC()
				start := time.Now()
				run := bd.run(b, "hr-import", "")
				engine = time.Since(start)
				mustSucceed(b, run)
				if got := countEntries(b, srv, base); got != provision {
					b.Fatalf("the import left %d entries, want %d\n%s", got, provision, describe(run))
				}
			}
			if round%2 == 0 {
				ldapadd()
				viaEngine()
			} else {
				viaEngine()
				ldapadd()
			}
			adds = append(adds, float64(provision)/baseline.Seconds())
			engines = append(engines, float64(provision)/engine.Seconds())
			ratios = append(ratios, baseline.Seconds()/engine.Seconds())
			b.Logf("pair %d: engine %.0f entries/s, ldapadd %.0f entries/s, ratio %.3f", round+1,
				engines[round], adds[round], ratios[round])
		}
		b.ReportMetric(median(engines), "provision-entries/s")
		b.ReportMetric(median(adds), "ldapadd-entries/s")
		b.ReportMetric(median(ratios), "provision-ratio")

		// The no-op reconciliation: N entries imported (not timed), one
		// reconciliation to settle them, then the one measured.
		srv := ldaptest.Start(b)
		base := srv.NewContainer(b, "noop")
		bd := setup(b, map[string]string{"hr.csv": hr(entries), "main.hcl": ldapPeopleConfig(srv.URL, base)})
		mustSucceed(b, bd.run(b, "hr-import", ""))
		mustSucceed(b, bd.run(b, "dir-reconcile", ""))
		b.StartTimer()
		start := time.Now()
		run := bd.run(b, "dir-reconcile", "")
		noop := time.Since(start)
		b.StopTimer()
		mustSucceed(b, run)
		if got := objectsStat(run, "unchanged"); got != int64(entries) {
			b.Fatalf("the reconciliation found %d of %d entries unchanged\n%s", got, entries, describe(run))
		}
		start = time.Now()
		if got := countEntries(b, srv, base); got != entries {
			b.Fatalf("%d entries, want %d", got, entries)
		}
		search := time.Since(start)
		b.ReportMetric(float64(entries)/noop.Seconds(), "noop-entries/s")
		b.ReportMetric(float64(entries)/search.Seconds(), "search-entries/s")
		b.StartTimer()
	}
}

// objectsStat is a statistic of the run's first activity, of its
// resource_objects stage when it has stages (a reconciliation).
func objectsStat(run *state.Run, name string) int64 {
	a := run.Activities[0]
	for _, s := range a.Stages {
		if s.Name == "resource_objects" {
			return s.Statistics[name]
		}
	}
	return a.Statistics[name]
}

// countEntries counts the inetOrgPerson entries under base with a paged
// search of go-ldap's: the read baseline of the no-op reconciliation.
func countEntries(b *testing.B, srv *ldaptest.Server, base string) int {
	b.Helper()
	conn := srv.Admin(b)
	res, err := conn.SearchWithPaging(goldap.NewSearchRequest(base, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=inetOrgPerson)", []string{"*"}, nil), 2000)
	if err != nil {
		b.Fatal(err)
	}
	return len(res.Entries)
}
