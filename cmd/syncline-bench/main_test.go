package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector/connectortest"
)

// TestMain lets the test binary stand in for the command: the benchmark
// runs its phases by running its own executable again, which in a test
// is this binary.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	// The tests name PostgreSQL by -postgres when they want it.
	os.Unsetenv(postgresEnv)
	os.Unsetenv(statePostgresEnv)
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
		regexp.MustCompile(`^import with provisioning to SQLite +200 +[\d.]+ +[\d,]+ +(\d+|n/a) +[\d.]+$`),
		regexp.MustCompile(`^baseline: (skipped: .+|sqlite3 .*: 200 rows in [\d.]+ s = [\d,]+ rows/s)$`),
		regexp.MustCompile(`^provisioning: an account for every active user, beside bare writes`),
		regexp.MustCompile(`^target +writer +accounts +seconds +accounts/s +peak RSS MB$`),
		regexp.MustCompile(`^SQLite +import with provisioning +198 +[\d.]+ +[\d,]+ +(\d+|n/a)$`),
		regexp.MustCompile(`^SQLite +bare multi-row INSERT +198 +[\d.]+ +[\d,]+ +(\d+|n/a)$`),
		regexp.MustCompile(`^targets \(issues 6 and 15 for 1,000,000 rows, issue 15 for provisioning 100,000, issue 20`),
		regexp.MustCompile(`^  import +≥ 25,000 objects/s +(met|MISSED|n/a)`),
		regexp.MustCompile(`^  no-op reconciliation +≥ 50,000 objects/s +(met|MISSED|n/a)`),
		regexp.MustCompile(`^  provision to SQLite +≥ 20,000 accounts/s +(met|MISSED) \(`),
		regexp.MustCompile(`^  provision to PostgreSQL +≥ 20,000 accounts/s +n/a$`),
		regexp.MustCompile(`^  import into a PostgreSQL state +≥ 50% of SQLite's +n/a$`),
		regexp.MustCompile(`^  peak RSS, every phase +< 512 MB +(met|MISSED|n/a)`),
		regexp.MustCompile(`^  import, issue 15 +≥ 60,000 objects/s +(met|MISSED|n/a)`),
		regexp.MustCompile(`^  peak RSS, every phase, issue 15 +≤ 256 MB +(met|MISSED|n/a)`),
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

// TestOnlyProvisionSaysTheBaselineWasSkipped: a run without an import
// phase prints no made-up import baseline ("0 rows in 0.00 s"), and
// -trace writes an execution trace of the phase that ran.
func TestOnlyProvisionSaysTheBaselineWasSkipped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := runBenchmark(t, "-n", "200", "-dir", t.TempDir(), "-only", "provision", "-trace", filepath.Join(dir, "trace.out"))
	want := "baseline: skipped: no import or reconciliation phase was asked for (-only)\n"
	if !strings.Contains(out, want) || strings.Contains(out, " 0 rows in ") {
		t.Errorf("output does not say the import baseline was skipped:\n%s", out)
	}
	if fi, err := os.Stat(filepath.Join(dir, "trace.provision.out")); err != nil || fi.Size() == 0 {
		t.Errorf("the provision phase's trace: %v", err)
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
	if strings.Join(names, " ") != "import noop changes provision" {
		t.Errorf("phases %v", names)
	}
	// 200 rows: rows 37 and 137 terminated, 50 and 150 changed, 99 and
	// 199 gone in the variant.
	if s := rep.phase("changes").Statistics; s["situation.deleted"] != 2 || s["users.modify"] != 2 || s["unchanged"] != 196 {
		t.Errorf("changes: statistics %v", s)
	}
	if p := rep.phase("provision"); p.Accounts != 198 || p.Check == nil || p.Check.Rows != 198 || p.AccountsPerSecond <= 0 ||
		p.Statistics["accounts.create"] != 198 {
		t.Errorf("provision: %+v, check %+v", p, p.Check)
	}
	if len(rep.ProvisionBaselines) != 1 || rep.ProvisionBaselines[0].Phase != "baseline-insert-sqlite" || rep.ProvisionBaselines[0].Accounts != 198 {
		t.Errorf("provision baselines %+v", rep.ProvisionBaselines)
	}
	if len(rep.Targets) != 8 || rep.Targets[6].Name != "import, issue 15" || rep.Targets[6].Value != rep.Targets[0].Value ||
		rep.Targets[7].Met == nil || !*rep.Targets[7].Met {
		t.Errorf("targets %+v", rep.Targets)
	}
}

// TestProvisionToPostgres runs the provisioning phase against the test
// PostgreSQL server too, with its two baselines; its tables are dropped.
func TestProvisionToPostgres(t *testing.T) {
	t.Parallel()
	dsn := connectortest.PostgresDSN(t)
	var rep report
	if err := json.Unmarshal([]byte(runBenchmark(t, "-n", "200", "-json", "-postgres", dsn)), &rep); err != nil {
		t.Fatal(err)
	}
	p := rep.phase("provision-postgres")
	if p == nil || p.Target != "postgres" || p.Check == nil || p.Check.Rows != 198 || p.Statistics["accounts.create"] != 198 {
		t.Fatalf("provision-postgres: %+v", p)
	}
	var bls []string
	for _, bl := range rep.ProvisionBaselines {
		bls = append(bls, bl.Phase)
		if bl.Accounts != 198 {
			t.Errorf("baseline %s wrote %d rows", bl.Phase, bl.Accounts)
		}
	}
	if strings.Join(bls, " ") != "baseline-insert-sqlite baseline-insert-postgres baseline-copy-postgres" {
		t.Errorf("baselines %v", bls)
	}
	if tg := rep.Targets[3]; tg.Name != "provision to PostgreSQL" || tg.Met == nil {
		t.Errorf("target %+v", tg)
	}
}

// TestImportIntoPostgresState runs the import a second time into a state
// in the test PostgreSQL server (a schema of its own, dropped after), and
// compares the two rates.
func TestImportIntoPostgresState(t *testing.T) {
	t.Parallel()
	dsn := connectortest.PostgresDSN(t)
	var rep report
	if err := json.Unmarshal([]byte(runBenchmark(t, "-n", "200", "-json", "-state-postgres", dsn)), &rep); err != nil {
		t.Fatal(err)
	}
	p := rep.phase("import-pgstate")
	if p == nil || p.Objects != 200 || p.Statistics["users.add"] != 200 || len(rep.Problems) != 0 {
		t.Fatalf("import-pgstate: %+v, problems %v", p, rep.Problems)
	}
	if tg := rep.Targets[4]; tg.Name != "import into a PostgreSQL state" || tg.Met == nil || tg.Value <= 0 {
		t.Errorf("target %+v", tg)
	}
}

func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-n", "0"}, {"-threads", "65"}, {"-only", "nope"}, {"extra"}, {"-nope"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit status %d, want 2\n%s", args, code, stderr.String())
		}
	}
}

// TestUnwritableTraceIsTheOnlyProblem: a phase that cannot start its
// trace fails with that error alone, not with the statistics it then
// did not reach.
func TestUnwritableTraceIsTheOnlyProblem(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "no-such-dir", "trace.out")
	var stdout, stderr bytes.Buffer
	args := []string{"-n", "200", "-dir", t.TempDir(), "-only", "provision", "-trace", missing}
	if code := run(context.Background(), args, &stdout, &stderr); code != 1 {
		t.Fatalf("exit status %d, want 1\n%s", code, stderr.String())
	}
	var failed []string
	for l := range strings.SplitSeq(stderr.String(), "\n") {
		if strings.Contains(l, "FAILED") {
			failed = append(failed, l)
		}
	}
	if len(failed) != 1 || !strings.Contains(failed[0], "trace.provision.out: no such file or directory") {
		t.Errorf("failures reported: %q; want the trace file's alone", failed)
	}
}
