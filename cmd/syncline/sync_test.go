package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/gittest"
)

func syncConfig(policy, table string) string {
	return `syncline {
  sync {
    policy = "` + policy + `"
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

// TestSync: the first sync applies, the same commit again is a no-op, a new
// commit applies, and a force-pushed branch is applied from its new tip
// with a note.
func TestSync(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": syncConfig("auto_apply", "hr")})
	first := r.Commit("HR")
	state := filepath.Join(t.TempDir(), "state.db")

	res := mustRun(t, "sync", "-repo", r.Dir, "-state", state)
	checkContains(t, "first sync", res.stdout, "Apply complete! 1 added", "Recorded revision "+config.ShortCommit(first))

	res = mustRun(t, "sync", "-repo", r.Dir, "-state", state)
	checkContains(t, "second sync", res.stdout, "already at "+config.ShortCommit(first))

	// A state that was removed is not "already at" anything: sync applies
	// again, whatever the mirror beside it holds.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(state + suffix)
	}
	res = mustRun(t, "sync", "-repo", r.Dir, "-state", state)
	checkContains(t, "sync into a removed state", res.stdout, "Apply complete! 1 added")

	r.Write(map[string]string{"main.hcl": syncConfig("auto_apply", "people")})
	second := r.Commit("People")
	res = mustRun(t, "sync", "-repo", "file://"+r.Dir, "-state", state)
	checkContains(t, "new commit", res.stdout, "1 changed", "Recorded revision "+config.ShortCommit(second))
	res = mustRun(t, "sync", "-repo", r.Dir, "-state", state)
	if strings.Contains(res.stdout, "force-push") {
		t.Errorf("a fast-forward is noted as a force-push:\n%s", res.stdout)
	}

	// Force-push: main is rewritten from the first commit.
	wt, err := r.Git.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.Reset(&git.ResetOptions{Commit: plumbing.NewHash(first), Mode: git.HardReset}); err != nil {
		t.Fatal(err)
	}
	r.Write(map[string]string{"main.hcl": syncConfig("auto_apply", "staff")})
	third := r.Commit("Staff instead")
	res = mustRun(t, "sync", "-repo", r.Dir, "-state", state)
	checkContains(t, "force-push", res.stdout,
		"force-push: previous "+config.ShortCommit(second)+" is not an ancestor",
		"Recorded revision "+config.ShortCommit(third))

	hist := mustRun(t, "state", "history", "-state", state)
	checkContains(t, "history", hist.stdout, config.ShortCommit(third), config.ShortCommit(first),
		"update resource.hr  (force-push over "+config.ShortCommit(second)+")")
	if strings.Count(hist.stdout, "force-push") != 1 {
		t.Errorf("only the apply after the force-push notes one:\n%s", hist.stdout)
	}
}

// TestSyncPlanOnly: under plan_only, sync shows the plan and applies only
// with -auto-approve.
func TestSyncPlanOnly(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": syncConfig("plan_only", "hr")})
	commit := r.Commit("HR")
	state := filepath.Join(t.TempDir(), "state.db")

	res := mustRun(t, "sync", "-repo", r.Dir, "-state", state)
	checkContains(t, "plan_only", res.stdout, "resource.hr will be created", "plan_only: nothing was applied")
	if _, err := os.Stat(state); err == nil {
		t.Error("plan_only created the state")
	}
	res = mustRun(t, "sync", "-repo", r.Dir, "-state", state, "-auto-approve")
	checkContains(t, "-auto-approve", res.stdout, "Apply complete! 1 added", "Recorded revision "+config.ShortCommit(commit))
}

// TestSyncErrors: an unknown branch and an unreachable path fail clearly
// and write no state (remote repositories: TestSyncRemoteErrors).
func TestSyncErrors(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": syncConfig("auto_apply", "hr")})
	r.Commit("HR")
	state := filepath.Join(t.TempDir(), "state.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-repo", r.Dir, "-branch", "nope"}, `has no branch "nope" (branches: main)`},
		{[]string{"-repo", filepath.Join(r.Dir, "missing")}, "cannot read the repository"},
	} {
		res := runCLI(t, "", append([]string{"sync", "-state", state}, c.args...)...)
		if res.code != 1 {
			t.Errorf("sync %v: exit %d, want 1", c.args, res.code)
		}
		checkContains(t, "stderr", res.stderr, c.want)
		if _, err := os.Stat(state); err == nil {
			t.Fatalf("sync %v created the state", c.args)
		}
	}
}
