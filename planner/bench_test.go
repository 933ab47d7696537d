package planner

import (
	"io"
	"testing"

	"github.com/syncline/syncline/internal/scenario"
	"github.com/syncline/syncline/state"
)

// BenchmarkCompute10kTasks plans 10,000 tasks and 1,000 resources against a
// snapshot that holds them all with 1% of them different.
func BenchmarkCompute10kTasks(b *testing.B) {
	desired := mustDesired(b, scenario.Files(1000, 10_000, false))
	snap := snapshotOf(mustDesired(b, scenario.Files(1000, 10_000, true)), 1)
	p := mustCompute(b, desired, snap, Options{})
	if got := len(p.Changes); got != 110 {
		b.Fatalf("%d changes, want 110", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(desired, snap, Options{Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDesired builds the canonical definitions of 10,000 tasks and
// 1,000 resources from a loaded configuration.
func BenchmarkDesired(b *testing.B) {
	cfg := loadConfig(b, scenario.Files(1000, 10_000, false))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Desired(cfg, "rev", testKey); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderJSON10kCreate writes the JSON of a first plan of 10,000
// tasks and 1,000 resources, every value typed: the largest plan a
// configuration of that size gives.
func BenchmarkRenderJSON10kCreate(b *testing.B) {
	p := mustCompute(b, mustDesired(b, scenario.Files(1000, 10_000, false)), &state.Snapshot{}, Options{})
	b.ReportAllocs()
	for b.Loop() {
		if err := RenderJSON(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}
