package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/syncline/syncline/internal/scenario"
)

// BenchmarkPlanCommand measures the whole "syncline plan" — load and check
// 11,002 definitions, open the state, read its snapshot, compute and render
// the plan — for 10,000 tasks and 1,000 resources against a state that
// holds them all, with 1% of them changed.
func BenchmarkPlanCommand(b *testing.B) {
	dir := b.TempDir()
	if err := scenario.Write(dir, scenario.Files(1000, 10_000, false)); err != nil {
		b.Fatal(err)
	}
	if res := benchRun(b, "apply", "-auto-approve", dir); res != 0 {
		b.Fatalf("apply: exit %d", res)
	}
	if err := scenario.Write(dir, scenario.Files(1000, 10_000, true)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if res := benchRun(b, "plan", "-detailed-exitcode", dir); res != exitChanges {
			b.Fatalf("plan: exit %d", res)
		}
	}
}

// BenchmarkValidateCommand is the baseline for BenchmarkPlanCommand: the
// same configuration, only loaded and checked.
func BenchmarkValidateCommand(b *testing.B) {
	dir := b.TempDir()
	if err := scenario.Write(dir, scenario.Files(1000, 10_000, true)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if res := benchRun(b, "validate", dir); res != 0 {
			b.Fatalf("validate: exit %d", res)
		}
	}
}

func benchRun(b *testing.B, args ...string) int {
	b.Helper()
	var stderr bytes.Buffer
	code := run(context.Background(), append([]string{"syncline"}, args...), strings.NewReader(""), io.Discard, &stderr)
	if code != 0 && code != exitChanges {
		b.Log(stderr.String())
	}
	return code
}
