package console

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/syncline/syncline/state"
)

func TestHealthAndReadinessNeedNoToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	expect(t, "healthz", b.do(t, "GET", "/healthz", "", ""), http.StatusOK)
	waitFor(t, "the server to be ready", func() bool { return b.do(t, "GET", "/readyz", "", "").code == http.StatusOK })
	if err := b.srv.Stop(b.Ctx); err != nil {
		t.Fatal(err)
	}
	res := b.do(t, "GET", "/readyz", "", "")
	expect(t, "readyz after stop", res, http.StatusServiceUnavailable)
	if !strings.Contains(res.body, "not running") {
		t.Errorf("readyz does not say why:\n%s", res.body)
	}
}

func TestEverythingElseNeedsAToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, path := range []string{"/api/v1/tasks", "/api/v1/tasks/hr-import", "/api/v1/runs", "/api/v1/runs/1",
		"/api/v1/runs/1/changes", "/api/v1/applies", "/api/v1/sync", "/api/v1/resources", "/api/v1/nothing"} {
		res := b.do(t, "GET", path, "", "")
		expect(t, path+" without a token", res, http.StatusUnauthorized)
		if res.errorCode(t) != "unauthenticated" || res.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %v\n%s", path, res.header, res.body)
		}
		expect(t, path+" with a wrong token", b.do(t, "GET", path, "wrong-secret-0123456789", ""), http.StatusUnauthorized)
	}
	expect(t, "trigger without a token", b.do(t, "POST", "/api/v1/tasks/hr-import/trigger", "", ""), http.StatusUnauthorized)
	expect(t, "a page from a script", b.do(t, "GET", "/", "", ""), http.StatusUnauthorized)
	if got := b.browser(t).get("/tasks/hr-import"); got.code != http.StatusSeeOther || got.header.Get("Location") != "/login?next=%2Ftasks%2Fhr-import" {
		t.Errorf("a page from a browser without a login: %d %q, want a redirect to the login form", got.code, got.header.Get("Location"))
	}
	expect(t, "a public mount", b.do(t, "POST", "/hooks/git", "", "{}"), http.StatusAccepted)
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, path := range []string{"/healthz", "/login", "/api/v1/tasks"} {
		h := b.do(t, "GET", path, viewerSecret, "").header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}

func TestTasksList(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var got struct{ Tasks []TaskSummary }
	waitFor(t, "the scheduler's first tick", func() bool {
		res := b.do(t, "GET", "/api/v1/tasks", viewerSecret, "")
		expect(t, "tasks", res, http.StatusOK)
		res.json(t, &got)
		return len(got.Tasks) == 2 && got.Tasks[1].NextRun != nil
	})
	if len(got.Tasks) != 2 {
		t.Fatalf("tasks: %+v", got.Tasks)
	}
	hr, nightly := got.Tasks[0], got.Tasks[1]
	if hr.Name != "hr-import" || hr.Status != StatusIdle || hr.Description != "Import people from HR" || hr.Owner != "iam-team" ||
		strings.Join(hr.Types, ",") != "exec" || hr.Schedule != "manual" || hr.LastRun != nil {
		t.Errorf("hr-import: %+v", hr)
	}
	if nightly.NextRun == nil || nightly.NextRun.Format("-07:00") != "+01:00" || nightly.NextRun.Hour() != 2 ||
		!strings.Contains(nightly.Schedule, "cron 0 2 * * * (Europe/Prague)") {
		t.Errorf("nightly: %+v next %v", nightly, nightly.NextRun)
	}
	res := b.do(t, "GET", "/api/v1/tasks?q=HR", viewerSecret, "")
	res.json(t, &got)
	if len(got.Tasks) != 1 || got.Tasks[0].Name != "hr-import" {
		t.Errorf("filtered by text: %+v", got.Tasks)
	}
}

func TestTaskDetail(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.do(t, "GET", "/api/v1/tasks/hr-import", viewerSecret, "")
	expect(t, "task", res, http.StatusOK)
	var d TaskDetail
	res.json(t, &d)
	if !strings.HasSuffix(d.SourceFile, "main.hcl") || d.SourceLine != 2 || d.State != "active" || d.Definition["description"] != `"Import people from HR"` {
		t.Errorf("detail: %+v", d)
	}
	if strings.Contains(res.body, "T0KEN") || d.Definition["notify[0].webhook"] != `"https://hooks.example.com/…"` {
		t.Errorf("the webhook's path is shown: %q", d.Definition["notify[0].webhook"])
	}
	expect(t, "task.NAME", b.do(t, "GET", "/api/v1/tasks/task.hr-import", viewerSecret, ""), http.StatusOK)
	res = b.do(t, "GET", "/api/v1/tasks/nope", viewerSecret, "")
	expect(t, "unknown task", res, http.StatusNotFound)
	if res.errorCode(t) != "not_found" {
		t.Errorf("unknown task: %s", res.body)
	}
}

// TestTriggerRunsTheTask: an operator's trigger queues a run recorded as
// theirs, the server's workers run it, and the run, its history and the
// task's last run show it.
func TestTriggerRunsTheTask(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.do(t, "POST", "/api/v1/tasks/hr-import/trigger", operatorSecret, `{"mode": "full"}`)
	expect(t, "trigger", res, http.StatusAccepted)
	var queued struct{ Run RunBrief }
	res.json(t, &queued)
	if queued.Run.TriggeredBy != "alice" || queued.Run.Trigger != "manual" || queued.Run.Mode != "full" {
		t.Fatalf("queued: %+v", queued.Run)
	}
	path := fmt.Sprintf("/api/v1/runs/%d", queued.Run.ID)
	var run RunDetail
	waitFor(t, "the run to finish", func() bool {
		b.do(t, "GET", path, viewerSecret, "").json(t, &run)
		return run.Final
	})
	if run.State != string(state.RunSucceeded) || len(run.Activities) != 1 || run.Activities[0].Output["stdout_tail"] != "imported\n" {
		t.Fatalf("run: %+v", run)
	}
	var list RunsPage
	b.do(t, "GET", "/api/v1/runs?task=hr-import&trigger=manual&state=succeeded", viewerSecret, "").json(t, &list)
	if list.Total != 1 || list.Runs[0].ID != queued.Run.ID {
		t.Errorf("runs: %+v", list)
	}
	b.do(t, "GET", "/api/v1/runs?trigger=schedule", viewerSecret, "").json(t, &list)
	if list.Total != 0 {
		t.Errorf("runs by schedule: %+v", list)
	}
	var changes ChangesPage
	res = b.do(t, "GET", path+"/changes?limit=10", viewerSecret, "")
	expect(t, "changes", res, http.StatusOK)
	res.json(t, &changes)
	if changes.RunID != queued.Run.ID || changes.Limit != 10 || changes.Changes == nil {
		t.Errorf("changes: %+v", changes)
	}
	var detail TaskDetail
	b.do(t, "GET", "/api/v1/tasks/hr-import", viewerSecret, "").json(t, &detail)
	if detail.LastRun == nil || detail.LastRun.ID != queued.Run.ID || detail.Status != StatusIdle || len(detail.RecentRuns) != 1 {
		t.Errorf("task after the run: %+v", detail)
	}
	res = b.do(t, "POST", path+"/cancel", operatorSecret, "")
	expect(t, "cancel a finished run", res, http.StatusConflict)
}

func TestTriggerRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.do(t, "POST", "/api/v1/tasks/hr-import/trigger", viewerSecret, "")
	expect(t, "viewer trigger", res, http.StatusForbidden)
	if res.errorCode(t) != "forbidden" {
		t.Errorf("viewer trigger: %s", res.body)
	}
	expect(t, "unknown task", b.do(t, "POST", "/api/v1/tasks/nope/trigger", operatorSecret, ""), http.StatusNotFound)
	expect(t, "bad mode", b.do(t, "POST", "/api/v1/tasks/hr-import/trigger", operatorSecret, `{"mode": "fast"}`), http.StatusBadRequest)
	expect(t, "malformed JSON", b.do(t, "POST", "/api/v1/tasks/hr-import/trigger", operatorSecret, `{"mode": `), http.StatusBadRequest)
	expect(t, "unknown field", b.do(t, "POST", "/api/v1/tasks/hr-import/trigger", operatorSecret, `{"moed": "full"}`), http.StatusBadRequest)
	big := `{"mode": "` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`
	res = b.do(t, "POST", "/api/v1/tasks/hr-import/trigger", operatorSecret, big)
	expect(t, "oversized body", res, http.StatusRequestEntityTooLarge)
	expect(t, "GET on trigger", b.do(t, "GET", "/api/v1/tasks/hr-import/trigger", operatorSecret, ""), http.StatusMethodNotAllowed)
	res = b.do(t, "DELETE", "/api/v1/tasks", operatorSecret, "")
	expect(t, "DELETE tasks", res, http.StatusMethodNotAllowed)
	if res.header.Get("Allow") != "GET" || res.errorCode(t) != "method_not_allowed" {
		t.Errorf("405: %v %s", res.header, res.body)
	}
	if runs := b.Runs(t, "hr-import"); len(runs) != 0 {
		t.Errorf("refused triggers queued %d runs", len(runs))
	}
}

func TestSuspendAndResume(t *testing.T) {
	t.Parallel()
	b := setup(t)
	expect(t, "viewer suspend", b.do(t, "POST", "/api/v1/tasks/nightly/suspend", viewerSecret, `{"reason": "x"}`), http.StatusForbidden)
	expect(t, "no reason", b.do(t, "POST", "/api/v1/tasks/nightly/suspend", operatorSecret, `{}`), http.StatusBadRequest)
	res := b.do(t, "POST", "/api/v1/tasks/nightly/suspend", operatorSecret, `{"reason": "HR outage"}`)
	expect(t, "suspend", res, http.StatusOK)
	var d TaskDetail
	res.json(t, &d)
	if d.Status != StatusSuspended || d.Suspension == nil || d.Suspension.By != "alice" || d.Suspension.Reason != "HR outage" {
		t.Errorf("suspended: %+v", d)
	}
	expect(t, "suspend again", b.do(t, "POST", "/api/v1/tasks/nightly/suspend", operatorSecret, `{"reason": "again"}`), http.StatusConflict)
	expect(t, "trigger a suspended task", b.do(t, "POST", "/api/v1/tasks/nightly/trigger", operatorSecret, ""), http.StatusConflict)
	expect(t, "resume", b.do(t, "POST", "/api/v1/tasks/nightly/resume", operatorSecret, ""), http.StatusOK)
	expect(t, "resume again", b.do(t, "POST", "/api/v1/tasks/nightly/resume", operatorSecret, ""), http.StatusConflict)
	expect(t, "resume unknown", b.do(t, "POST", "/api/v1/tasks/nope/resume", operatorSecret, ""), http.StatusNotFound)
	if rt := b.Runtime(t, "nightly"); rt.State != state.TaskActive || rt.By != "alice" {
		t.Errorf("runtime: %+v", rt)
	}
}

func TestCancelQueuedRun(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Suspended, the task's queued run waits: it can be cancelled.
	run, err := b.Store.RunEnqueue(b.Ctx, state.Run{Task: "nightly", Trigger: state.TriggerManual, Mode: "full", State: state.RunQueued, Attempt: 1, ScheduledAt: b.Clock.Now().Add(24 * 3600e9)})
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/runs/%d/cancel", run.ID)
	expect(t, "viewer cancel", b.do(t, "POST", path, viewerSecret, ""), http.StatusForbidden)
	res := b.do(t, "POST", path, operatorSecret, "")
	expect(t, "cancel", res, http.StatusOK)
	var got struct{ Run RunBrief }
	res.json(t, &got)
	if got.Run.State != string(state.RunCancelled) {
		t.Errorf("cancelled: %+v", got.Run)
	}
	expect(t, "cancel unknown", b.do(t, "POST", "/api/v1/runs/999/cancel", operatorSecret, ""), http.StatusNotFound)
	expect(t, "run not a number", b.do(t, "GET", "/api/v1/runs/abc", viewerSecret, ""), http.StatusNotFound)
	expect(t, "unknown run", b.do(t, "GET", "/api/v1/runs/999", viewerSecret, ""), http.StatusNotFound)
	expect(t, "changes of unknown run", b.do(t, "GET", "/api/v1/runs/999/changes", viewerSecret, ""), http.StatusNotFound)
}

func TestRunsFiltersAreChecked(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, q := range []string{"state=done", "trigger=cron", "limit=0", "limit=501", "offset=-1", "limit=x"} {
		expect(t, q, b.do(t, "GET", "/api/v1/runs?"+q, viewerSecret, ""), http.StatusBadRequest)
	}
}

func TestAppliesSyncAndResources(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var applies struct{ Applies []Apply }
	res := b.do(t, "GET", "/api/v1/applies", viewerSecret, "")
	expect(t, "applies", res, http.StatusOK)
	res.json(t, &applies)
	if len(applies.Applies) != 1 || applies.Applies[0].Who != "tester" || applies.Applies[0].Serial != 1 {
		t.Errorf("applies: %+v", applies)
	}
	var sync SyncStatus
	res = b.do(t, "GET", "/api/v1/sync", viewerSecret, "")
	expect(t, "sync", res, http.StatusOK)
	res.json(t, &sync)
	if sync.Followed != nil || sync.LastApply == nil || len(sync.Failures) != 0 || sync.Known == "" {
		t.Errorf("sync: %+v", sync)
	}
	var resources struct{ Resources []Resource }
	res = b.do(t, "GET", "/api/v1/resources", viewerSecret, "")
	expect(t, "resources", res, http.StatusOK)
	res.json(t, &resources)
	if resources.Resources == nil {
		t.Errorf("resources: %s", res.body)
	}
	expect(t, "unknown endpoint", b.do(t, "GET", "/api/v1/nothing", viewerSecret, ""), http.StatusNotFound)
}
