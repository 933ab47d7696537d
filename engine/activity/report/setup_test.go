package report_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

// update rewrites the golden files under testdata/golden.
var update = flag.Bool("update", false, "rewrite the golden files")

// bundle is what the tests start from (see enginetest.Bundle); reports
// run through a runner, as in a real run.
type bundle struct{ *enginetest.Bundle }

func setup(t testing.TB, hcl string) *bundle {
	t.Helper()
	return &bundle{enginetest.Setup(t, hcl)}
}

// run enqueues a manual run of task and executes it in the foreground.
func (b *bundle) run(t testing.TB, task string) *state.Run {
	t.Helper()
	r := &runner.Runner{Store: b.Store, Catalog: b.Catalog(t), Worker: "host:1:run", Clock: b.Clock}
	run, err := runner.EnqueueManual(b.Ctx, b.Store, r.Catalog, task, "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	done, err := r.RunByID(b.Ctx, run.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

// repo writes to the repository in one transaction.
func (b *bundle) repo(t testing.TB, fn func(*state.RepositoryTx) error) {
	t.Helper()
	if err := b.Store.RepositoryWrite(b.Ctx, fn); err != nil {
		t.Fatal(err)
	}
}

// writeFile writes a file under the configuration directory.
func (b *bundle) writeFile(t testing.TB, name, body string) {
	t.Helper()
	p := filepath.Join(b.Dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// read returns a file under the configuration directory.
func (b *bundle) read(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(b.Dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// golden compares got with testdata/golden/name, or rewrites it with
// -update.
func golden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
