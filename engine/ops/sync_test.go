package ops_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/gittest"
)

// syncHCL is mainHCL(cron) with a sync block of policy.
func syncHCL(policy, cron string) string {
	return `
syncline {
  sync {
    policy = "` + policy + `"
  }
}
` + mainHCL(cron)
}

func TestSync(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		policy      string
		autoApprove bool
		// syncedBefore syncs once before the sync under test.
		syncedBefore bool
		want         ops.Outcome
		wantState    bool // the state exists afterwards
		wantPlans    int  // plans reported
		wantFetched  int
	}{
		{name: "auto_apply applies", policy: "auto_apply", want: ops.SyncApplied, wantState: true, wantPlans: 1, wantFetched: 1},
		{name: "the same commit again is already at", policy: "auto_apply", syncedBefore: true, want: ops.SyncAlreadyAt, wantState: true},
		{name: "plan_only shows the plan only", policy: "plan_only", want: ops.SyncPlanOnly, wantPlans: 1, wantFetched: 1},
		{name: "plan_only with auto-approve applies", policy: "plan_only", autoApprove: true, want: ops.SyncApplied, wantState: true, wantPlans: 1, wantFetched: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := gittest.New(t)
			repo.Write(map[string]string{"main.hcl": syncHCL(tt.policy, "0 2 * * *")})
			commit := repo.Commit("two tasks")
			location := filepath.Join(t.TempDir(), "state.db")
			opts := ops.SyncOptions{Repo: repo.Dir, State: location, AutoApprove: tt.autoApprove}
			if tt.syncedBefore {
				if res, err := ops.Sync(context.Background(), ops.Loader{}, opts, ops.Quiet{}); err != nil || res.Outcome != ops.SyncApplied {
					t.Fatalf("first sync: %+v, %v", res, err)
				}
			}
			r := &recorder{}
			res, err := ops.Sync(context.Background(), ops.Loader{}, opts, r)
			if err != nil {
				t.Fatalf("sync: %v", err)
			}
			if res.Outcome != tt.want || res.Commit != commit || res.Branch != gittest.DefaultBranch || res.Path != "." || res.Forced != "" {
				t.Errorf("sync: %s at %s on %s:%s (forced %q), want %s at %s on %s:.", res.Outcome, res.Commit, res.Branch, res.Path, res.Forced,
					tt.want, commit, gittest.DefaultBranch)
			}
			if res.Current() != (tt.want != ops.SyncPlanOnly) {
				t.Errorf("Current() = %v for %s", res.Current(), res.Outcome)
			}
			// Sync asks the Reporter before an apply too: the caller's
			// reporter decides (sync itself never waits for a person).
			wantConfirms := 0
			if tt.want == ops.SyncApplied {
				wantConfirms = 1
			}
			if len(r.plans) != tt.wantPlans || len(r.fetched) != tt.wantFetched || r.confirms != wantConfirms {
				t.Errorf("reported %d plans, %d fetches, %d confirmations; want %d, %d, %d", len(r.plans), len(r.fetched), r.confirms, tt.wantPlans, tt.wantFetched, wantConfirms)
			}
			for _, f := range r.fetched {
				if f.Commit != commit || f.Branch != gittest.DefaultBranch {
					t.Errorf("fetched reported %s on %s, want %s on %s", f.Commit, f.Branch, commit, gittest.DefaultBranch)
				}
			}
			for _, rev := range r.revisions {
				if rev == nil || rev.Commit != commit || rev.Ref != gittest.DefaultBranch {
					t.Errorf("plan shown for revision %+v, want %s on %s", rev, commit, gittest.DefaultBranch)
				}
			}
			_, err = os.Stat(location)
			if exists := err == nil; exists != tt.wantState {
				t.Fatalf("state exists: %v, want %v", exists, tt.wantState)
			}
			if !tt.wantState {
				return
			}
			snap := snapshot(t, location)
			if d := snap.Definitions["task.keep"]; d == nil || d.Revision != commit {
				t.Errorf("task.keep stored as %+v, want it from %s", d, commit)
			}
			switch tt.want {
			case ops.SyncApplied:
				who := repo.AuthorName + " <" + repo.AuthorEmail + ">"
				if res.Apply == nil || res.Apply.Applied == nil || res.Apply.Revision != commit || res.Apply.Who != who {
					t.Errorf("apply %+v: want %s applied as %s", res.Apply, commit, who)
				}
			case ops.SyncAlreadyAt:
				if res.Apply != nil || res.Planned != nil {
					t.Errorf("already at planned %+v and applied %+v", res.Planned, res.Apply)
				}
			}
		})
	}
}
