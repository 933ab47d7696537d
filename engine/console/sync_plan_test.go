package console

import (
	"net/http"
	"strings"
	"testing"

	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// TestSyncPlan: the Sync page and GET /api/v1/sync show the last apply's
// plan; neither they nor the Applies page and API show a notification
// webhook's path, where its token is.
func TestSyncPlan(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var got SyncStatus
	res := b.do(t, "GET", "/api/v1/sync", viewerSecret, "")
	expect(t, "sync", res, http.StatusOK)
	res.json(t, &got)
	if got.Plan == nil || got.Plan.Summary != (planner.Summary{Add: 2}) || len(got.Plan.Changes) != 2 ||
		got.Plan.Changes[0].Address != "task.hr-import" || got.Plan.Changes[0].Action != planner.Create || got.Plan.Serial != got.LastApply.Serial {
		t.Fatalf("plan: %+v", got.Plan)
	}
	br := b.browser(t)
	br.login(viewerSecret)
	pages := map[string]response{
		"api sync":    res,
		"api applies": b.do(t, "GET", "/api/v1/applies", viewerSecret, ""),
		"sync page":   br.get("/sync"),
		"applies":     br.get("/applies"),
	}
	for name, page := range pages {
		expect(t, name, page, http.StatusOK)
		if strings.Contains(page.body, "T0KEN") || strings.Contains(page.body, "/services") {
			t.Errorf("%s shows the webhook's path:\n%s", name, page.body)
		}
		if !strings.Contains(page.body, "task.nightly") || name != "applies" && !strings.Contains(page.body, "hooks.example.com") {
			t.Errorf("%s lacks the plan's changes:\n%s", name, page.body)
		}
	}
	if p := pages["sync page"].body; !strings.Contains(p, "2 to add, 0 to change, 0 to remove") || !strings.Contains(p, "Its plan") {
		t.Errorf("the Sync page lacks the plan's summary:\n%s", p)
	}
}

// TestSyncPendingPlan: a plan_only sync's plan recorded in the state is
// on the Sync page and in GET /api/v1/sync while the state is at the
// serial it was made against (the webhook's path hidden), and gone once
// the state moved on.
func TestSyncPendingPlan(t *testing.T) {
	t.Parallel()
	b := setup(t)
	serial, err := b.Store.Serial(b.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan := &planner.Plan{Changes: []planner.Change{
		{Address: "task.nightly", Action: planner.Update, Kind: "task", Name: "nightly", Attributes: []planner.AttributeChange{
			{Path: "notify[0].webhook", Action: planner.Create, After: "https://hooks.example.com/services/T0KEN"}}},
		{Address: "task.weekly", Action: planner.Create, Kind: "task", Name: "weekly"},
	}}
	if err := b.Store.SyncRecordPlan(b.Ctx, state.SyncPlan{Repository: "/srv/iam.git", Branch: "main", Revision: "c0ffee",
		Serial: serial, Changes: plan.ChangeList()}); err != nil {
		t.Fatal(err)
	}
	var got SyncStatus
	res := b.do(t, "GET", "/api/v1/sync", viewerSecret, "")
	expect(t, "sync", res, http.StatusOK)
	res.json(t, &got)
	if p := got.Pending; p == nil || p.Revision != "c0ffee" || p.Branch != "main" || p.Summary != (planner.Summary{Add: 1, Change: 1}) || len(p.Changes) != 2 {
		t.Fatalf("pending plan: %+v", got.Pending)
	}
	br := b.browser(t)
	br.login(viewerSecret)
	page := br.get("/sync")
	expect(t, "sync page", page, http.StatusOK)
	for _, want := range []string{"Planned, not applied", "c0ffee", "1 to add, 1 to change, 0 to remove", "task.weekly", "hooks.example.com"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the Sync page lacks %q:\n%s", want, page.body)
		}
	}
	for name, body := range map[string]string{"api": res.body, "page": page.body} {
		if strings.Contains(body, "T0KEN") {
			t.Errorf("the %s shows the webhook's path", name)
		}
	}

	// The state moves on (an apply): the plan no longer applies to it.
	if err := b.Store.SyncRecordPlan(b.Ctx, state.SyncPlan{Repository: "/srv/iam.git", Branch: "main", Revision: "0ld",
		Serial: serial - 1, Changes: []byte("[]")}); err != nil {
		t.Fatal(err)
	}
	res = b.do(t, "GET", "/api/v1/sync", viewerSecret, "")
	got = SyncStatus{}
	res.json(t, &got)
	if got.Pending != nil {
		t.Errorf("a plan made against serial %d is shown at serial %d: %+v", serial-1, serial, got.Pending)
	}
	if page := br.get("/sync"); !strings.Contains(page.body, "No sync is waiting to be applied.") {
		t.Errorf("the Sync page shows a stale plan:\n%s", page.body)
	}
}
