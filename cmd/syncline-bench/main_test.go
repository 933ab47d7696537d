package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for the command: the benchmark
// runs its phases by running its own executable again, which in a test
// is this binary.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// runBenchmark runs the command with args and returns its standard output.
func runBenchmark(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit status %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func TestSmallRunPrintsTheTable(t *testing.T) {
	t.Parallel()
	out := runBenchmark(t, "-n", "200", "-dir", t.TempDir())
	lines := []*regexp.Regexp{
		regexp.MustCompile(`^synchronization of 200 rows, threads = 2$`),
		regexp.MustCompile(`^machine: \d+ CPUs, `),
		regexp.MustCompile(`^phase +objects +seconds +objects/s +peak RSS MB +CPU s$`),
		regexp.MustCompile(`^import into a fresh store +200 +[\d.]+ +[\d,]+ +(\d+|n/a) +[\d.]+$`),
		regexp.MustCompile(`^no-op reconciliation +200 +[\d.]+ +[\d,]+ +(\d+|n/a) +[\d.]+$`),
		regexp.MustCompile(`^reconciliation, 1% changed, 1% deleted +200 +[\d.]+ +[\d,]+ +(\d+|n/a) +[\d.]+$`),
		regexp.MustCompile(`^baseline: (skipped: .+|sqlite3 .*: 200 rows in [\d.]+ s = [\d,]+ rows/s)$`),
		regexp.MustCompile(`^targets \(issue 6, `),
		regexp.MustCompile(`^  import +≥ 25,000 objects/s +(met|MISSED|n/a)`),
		regexp.MustCompile(`^  no-op reconciliation +≥ 50,000 objects/s +(met|MISSED|n/a)`),
		regexp.MustCompile(`^  peak RSS, every phase +< 512 MB +(met|MISSED|n/a)`),
	}
	var got []string
	for l := range strings.SplitSeq(out, "\n") {
		if l != "" {
			got = append(got, l)
		}
	}
	if len(got) != len(lines) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(lines), out)
	}
	for i, re := range lines {
		if !re.MatchString(got[i]) {
			t.Errorf("line %d = %q, want it to match %s", i+1, got[i], re)
		}
	}
}

func TestSmallRunJSON(t *testing.T) {
	t.Parallel()
	var rep report
	if err := json.Unmarshal([]byte(runBenchmark(t, "-n", "200", "-threads", "1", "-json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.FormatVersion != reportFormatVersion || rep.Rows != 200 || rep.Threads != 1 || len(rep.Problems) != 0 {
		t.Errorf("report = %+v", rep)
	}
	var names []string
	for _, p := range rep.Phases {
		names = append(names, p.Phase)
		if p.Objects != 200 || p.Failure != 0 || p.Seconds <= 0 {
			t.Errorf("phase %s: %+v", p.Phase, p.phaseResult)
		}
	}
	if strings.Join(names, " ") != "import noop changes" {
		t.Errorf("phases %v", names)
	}
	// 200 rows: rows 37 and 137 terminated, 50 and 150 changed, 99 and
	// 199 gone in the variant.
	if s := rep.phase("changes").Statistics; s["situation.deleted"] != 2 || s["users.modify"] != 2 || s["unchanged"] != 196 {
		t.Errorf("changes: statistics %v", s)
	}
	if len(rep.Targets) != 3 {
		t.Errorf("targets %+v", rep.Targets)
	}
}

func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-n", "0"}, {"-threads", "65"}, {"extra"}, {"-nope"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit status %d, want 2\n%s", args, code, stderr.String())
		}
	}
}
