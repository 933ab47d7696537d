package gitsync

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/gittest"
	"github.com/syncline/syncline/state"
)

func syncedConfig(repo, table string) string {
	return `syncline {
  sync {
    repository = "` + repo + `"
    policy     = "auto_apply"
  }
}
resource "hr" {
  connector = "csv"
  connection {
    path       = "data/` + table + `.csv"
    identifier = "id"
  }
}
`
}

// setup starts a syncer following a new git repository whose first commit
// applies one resource; it returns the syncer (started, stopped at the
// end of the test) and the repository.
func setup(t *testing.T) (*Syncer, *gittest.Repo) {
	t.Helper()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": syncedConfig(r.Dir, "hr")})
	r.Commit("HR")
	cfg, diags := config.LoadDir(r.Dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s, err := New(Config{Settings: cfg.Settings, Dir: r.Dir, State: filepath.Join(t.TempDir(), "state.db"),
		Reporter: func(w io.Writer) ops.Reporter { return diagnosticsWriter{w: w} }})
	if err != nil {
		t.Fatal(err)
	}
	s.signals.init()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); s.Stop() })
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return s, r
}

// waitSynced waits for the next sync to end.
func waitSynced(t *testing.T, s *Syncer, what string) *ops.SyncResult {
	t.Helper()
	select {
	case res := <-s.signals.synced.C():
		return res
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		return nil
	}
}

// TestSyncerFollows: the syncer applies the branch at start, a trigger
// applies a new commit, and a trigger without one finds the state already
// at the tip.
func TestSyncerFollows(t *testing.T) {
	t.Parallel()
	s, r := setup(t)
	if res := waitSynced(t, s, "the first sync"); res == nil || res.Outcome != ops.SyncApplied {
		t.Fatalf("first sync: %+v", res)
	}
	r.Write(map[string]string{"main.hcl": syncedConfig(r.Dir, "people")})
	second := r.Commit("People")
	s.Trigger()
	if res := waitSynced(t, s, "the triggered sync"); res == nil || res.Outcome != ops.SyncApplied || res.Commit != second {
		t.Fatalf("triggered sync: %+v", res)
	}
	s.Trigger()
	if res := waitSynced(t, s, "the sync without a new commit"); res == nil || res.Outcome != ops.SyncAlreadyAt {
		t.Fatalf("sync without a new commit: %+v", res)
	}
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	withRepo := &config.Settings{Sync: &config.SyncSettings{Repository: "repo"}}
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no directory, no state", Config{Settings: withRepo}, "a configuration directory is required"},
		{"no sync block", Config{Dir: ".", State: "s.db"}, "serve -sync needs the repository to follow"},
		{"listen without a secret", Config{Settings: withRepo, Dir: ".", State: "s.db", Webhook: true}, "serve -listen needs a webhook secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want %q", err, tt.want)
			}
		})
	}
}

// TestSyncerRecordsAFailure: a revision that does not load is a failed
// sync, recorded in the state with its commit and the diagnostics the
// Reporter wrote; the syncer keeps following the branch.
func TestSyncerRecordsAFailure(t *testing.T) {
	t.Parallel()
	s, r := setup(t)
	waitSynced(t, s, "the first sync")
	r.Write(map[string]string{"main.hcl": syncedConfig(r.Dir, "hr") + "resource \"broken\" {\n"})
	bad := r.Commit("Broken")
	s.Trigger()
	if res := waitSynced(t, s, "the failing sync"); res == nil || res.Outcome != ops.SyncFailed || res.Commit != bad {
		t.Fatalf("failing sync: %+v", res)
	}
	st, err := state.Open(context.Background(), s.cfg.State, state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	failures, err := st.SyncFailures(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(failures) != 1 || failures[0].Revision != bad || !strings.HasPrefix(failures[0].Error, "diagnostics:") {
		t.Fatalf("recorded failures: %+v", failures)
	}
}

// diagnosticsWriter writes the diagnostics of loading to w, as serve's
// reporter does, and shows nothing else.
type diagnosticsWriter struct {
	ops.Quiet
	w io.Writer
}

func (d diagnosticsWriter) Diagnostics(_ map[string]*hcl.File, diags hcl.Diagnostics) {
	fmt.Fprintf(d.w, "diagnostics: %s\n", diags.Error())
}

// TestSyncerRecordsAPlanOnlyPlan: a revision whose sync policy is
// plan_only is planned, not applied; its plan is recorded in the state
// (once, however often the server plans it again) against the serial the
// state is at.
func TestSyncerRecordsAPlanOnlyPlan(t *testing.T) {
	t.Parallel()
	s, r := setup(t)
	waitSynced(t, s, "the first sync")
	r.Write(map[string]string{"main.hcl": strings.Replace(syncedConfig(r.Dir, "people"), `"auto_apply"`, `"plan_only"`, 1)})
	planned := r.Commit("People, to be reviewed")
	for range 2 {
		s.Trigger()
		if res := waitSynced(t, s, "the plan_only sync"); res == nil || res.Outcome != ops.SyncPlanOnly || res.Commit != planned {
			t.Fatalf("plan_only sync: %+v", res)
		}
	}
	st, err := state.Open(context.Background(), s.cfg.State, state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	plans, err := st.SyncPlans(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := st.Serial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 1 || plans[0].Revision != planned || plans[0].Serial != serial || plans[0].Branch == "" ||
		!strings.Contains(string(plans[0].Changes), `"address":"resource.hr"`) || !strings.Contains(string(plans[0].Changes), "people.csv") {
		t.Fatalf("recorded plans (state at serial %d): %+v", serial, plans)
	}
}
