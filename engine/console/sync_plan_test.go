package console

import (
	"net/http"
	"strings"
	"testing"

	"github.com/syncline/syncline/planner"
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
