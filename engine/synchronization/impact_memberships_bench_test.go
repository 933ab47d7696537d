package synchronization_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/planner"
)

// impactBenchGroups is impactBenchApp with a family-name group per
// account (1,009 groups) through an association whose groups are GROUPS.
func impactBenchGroups(groups string) string {
	return strings.Replace(strings.Replace(impactBenchApp, "FULL_NAME", `"${user.given_name} ${user.family_name}"`, 1),
		`  object_type "account" {`, `  object_type "entitlement" {
    intent = "family"
    group {
      container        = "members"
      name_attribute   = "grp"
      member_attribute = "login"
      declared         = ["everyone"]
    }
  }
  object_type "account" {
    association "family" {
      entitlement = "family"
      groups      = `+groups+`
      tolerant    = false
    }`, 1)
}

// BenchmarkImpactMemberships: the impact of a changed groups expression
// (every account also joins "everyone") over n users with one linked app
// account each (100,000, or $SYNCLINE_BENCH_IMPACT_USERS): the group
// indexes are seeded from the applied association over every stored
// user, then every account is decided. Compare with
// BenchmarkImpactOutbound in the same run; docs/performance.md records
// both.
func BenchmarkImpactMemberships(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SYNCLINE_BENCH_IMPACT_USERS")); err == nil && v > 0 {
		n = v
	}
	bundle := setup(b, map[string]string{"main.hcl": impactBenchGroups("[user.family_name]")})
	fillRepository(b, bundle.store, n)
	bundle.write(b, map[string]string{"main.hcl": impactBenchGroups(`[user.family_name, "everyone"]`)})
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
		if imp.Totals.MembershipAdditions != n || imp.Totals.MembershipRemovals != 0 || imp.Truncated != "" {
			b.Fatalf("totals %+v, want %d memberships added (%s)", imp.Totals, n, imp.Truncated)
		}
		b.ReportMetric(took.Seconds(), "s/impact")
		b.ReportMetric(cpu.Seconds(), "cpu-s/impact")
		b.ReportMetric(float64(maxRSS())/(1<<20), "peak-RSS-MB")
	}
}
