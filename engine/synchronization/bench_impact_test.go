package synchronization_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

const impactBenchApp = `
resource "app" {
  connector = "sql"
  connection {
    driver       = "sqlite"
    dsn          = "app.db"
    table        = "accounts"
    key          = "login"
    columns      = ["login", "full_name", "email"]
    create_table = true
  }
  object_type "account" {
    provision_when = user.status == "active"
    correlate {
      name = attributes.login
    }
    outbound {
      login     = user.name
      full_name = FULL_NAME
      email     = user.email
    }
  }
}
`

// BenchmarkImpactOutbound: the impact of an outbound mapping change (the
// full name upper-cased) over n users, each with one linked app account
// (100,000, or $SYNCLINE_BENCH_IMPACT_USERS; issue 21 asks ≤ 1 s at
// 100,000 and ≤ 10 s at 1,000,000). The repository is written directly,
// as the runs of the old configuration would have left it; the figure is
// one synchronization.Impact. docs/performance.md records it.
func BenchmarkImpactOutbound(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SYNCLINE_BENCH_IMPACT_USERS")); err == nil && v > 0 {
		n = v
	}
	old := strings.Replace(impactBenchApp, "FULL_NAME", `"${user.given_name} ${user.family_name}"`, 1)
	bundle := setup(b, map[string]string{"main.hcl": old})
	start := time.Now()
	fillRepository(b, bundle.store, n)
	b.Logf("wrote %d users and %d shadows in %s", n, n, time.Since(start).Round(time.Millisecond))
	bundle.write(b, map[string]string{"main.hcl": strings.Replace(impactBenchApp, "FULL_NAME", `upper("${user.given_name} ${user.family_name}")`, 1)})
	cfg, diags := config.LoadDir(bundle.dir, config.LoadOptions{})
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	b.ResetTimer()
	for range b.N {
		ib := planner.NewImpactBuilder(0)
		cpu0 := cpuTime()
		start := time.Now()
		if err := synchronization.Impact(bundle.ctx, bundle.store, cfg, ib, synchronization.ImpactOptions{MaxDuration: time.Hour}); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		cpu := cpuTime() - cpu0
		imp := ib.Impact(cfg)
		if imp.Totals.Modifications != n || imp.Truncated != "" {
			b.Fatalf("modifications = %d, want %d (%s)", imp.Totals.Modifications, n, imp.Truncated)
		}
		b.ReportMetric(took.Seconds(), "s/impact")
		b.ReportMetric(float64(n)/took.Seconds(), "users/s")
		b.ReportMetric(cpu.Seconds(), "cpu-s/impact")
		b.ReportMetric(float64(maxRSS())/(1<<20), "peak-RSS-MB")
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// maxRSS is the process's peak resident set size in bytes (Linux reports
// kilobytes).
func maxRSS() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss * 1024
}

// fillRepository writes n active users with a linked app account each.
func fillRepository(b *testing.B, st *state.Store, n int) {
	b.Helper()
	const batch = 5000
	for lo := 0; lo < n; lo += batch {
		err := st.RepositoryWrite(context.Background(), func(r *state.RepositoryTx) error {
			for i := lo; i < min(lo+batch, n); i++ {
				name := fmt.Sprintf("user%07d", i)
				u := &state.User{Name: name, Status: state.UserActive, Attributes: map[string]string{
					"given_name": "Given" + strconv.Itoa(i%977), "family_name": "Family" + strconv.Itoa(i%1009), "email": name + "@example.com"}}
				if err := r.InsertUser(u); err != nil {
					return err
				}
				sh := &state.Shadow{Resource: "app", Kind: "account", Intent: "default", Identifier: name, Key: name,
					Attributes: map[string][]string{"login": {name},
						"full_name": {u.Attributes["given_name"] + " " + u.Attributes["family_name"]}, "email": {u.Attributes["email"]}},
					Hash: strings.Repeat("0", 32), MappingHash: "old", Situation: "linked", Owner: u.ID}
				if err := r.PutShadow(sh); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
