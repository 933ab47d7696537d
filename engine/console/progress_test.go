package console

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/state"
)

func TestProgressOf(t *testing.T) {
	t.Parallel()
	start := enginetest.Start
	now := start.Add(10 * time.Second)
	running := func(acts ...state.ActivityResult) *state.Run {
		return &state.Run{State: state.RunRunning, Activities: acts}
	}
	done := state.ActivityResult{Name: "first", Type: "exec", State: state.RunSucceeded}
	tests := []struct {
		name string
		run  *state.Run
		want string // Text, or "" for no progress
		eta  float64
	}{
		{"queued", &state.Run{State: state.RunQueued}, "", -1},
		{"finished", &state.Run{State: state.RunSucceeded, Activities: []state.ActivityResult{done}}, "", -1},
		{"estimated total", running(done, state.ActivityResult{Name: "hr", Type: "import", State: state.RunRunning, StartedAt: start,
			Total: 2000, Success: 500, Failure: 10, Skipped: 10}), "520 of 2000 objects (26%), 52/s, about 28s left", 28},
		{"unknown total", running(state.ActivityResult{Name: "hr", Type: "import", State: state.RunRunning, StartedAt: start,
			Total: -1, Success: 5}), "5 objects so far, 0.5/s", -1},
		{"estimate passed", running(state.ActivityResult{Name: "hr", Type: "import", State: state.RunRunning, StartedAt: start,
			Total: 10, Success: 50}), "50 objects so far, 5.0/s", -1},
		{"first second", running(state.ActivityResult{Name: "hr", Type: "import", State: state.RunRunning, StartedAt: now.Add(-time.Second / 2),
			Total: 100, Success: 1}), "1 of 100 objects (1%)", -1},
		{"stage", running(state.ActivityResult{Name: "rec", Type: "reconciliation", State: state.RunRunning, StartedAt: start,
			Success: 999, Stages: []state.StageResult{
				{Name: "resource_objects", State: state.RunSucceeded, Success: 999, Total: 999},
				{Name: "shadows", State: state.RunRunning, StartedAt: now.Add(-5 * time.Second), Success: 100, Total: 1100},
			}}), "100 of 1100 objects (9%), 20/s, about 50s left", 50},
	}
	for _, tc := range tests {
		p := progressOf(tc.run, now)
		switch {
		case tc.want == "" && p != nil:
			t.Errorf("%s: progress %+v, want none", tc.name, p)
		case tc.want == "":
		case p == nil:
			t.Errorf("%s: no progress", tc.name)
		case p.Text != tc.want:
			t.Errorf("%s: %q, want %q", tc.name, p.Text, tc.want)
		case tc.eta < 0 && p.ETASeconds != nil, tc.eta >= 0 && (p.ETASeconds == nil || *p.ETASeconds != tc.eta):
			t.Errorf("%s: ETA %v, want %v", tc.name, p.ETASeconds, tc.eta)
		}
	}
}

// TestRunProgressInAPIAndPage: a run that a worker is running shows its
// objects, rate and time left in GET /api/v1/runs/ID and on its page.
func TestRunProgressInAPIAndPage(t *testing.T) {
	t.Parallel()
	eb := enginetest.Setup(t, consoleHCL)
	c, err := New(Config{Store: eb.Store, Engine: benchEngine{cat: eb.Catalog(t)}, Clock: eb.Clock,
		Tokens: []Token{{Name: "victor", Role: RoleViewer, Secret: viewerSecret}}})
	if err != nil {
		t.Fatal(err)
	}
	run, err := eb.Store.RunEnqueue(eb.Ctx, state.Run{Task: "hr-import", Trigger: state.TriggerManual})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eb.Store.RunClaimByID(eb.Ctx, run.ID, "w:1:1", eb.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	acts := []state.ActivityResult{{Name: "exec", Type: "exec", State: state.RunRunning, StartedAt: eb.Clock.Now(), Total: 400, Success: 100}}
	if err := eb.Store.RunSaveProgress(eb.Ctx, run.ID, "w:1:1", acts, nil); err != nil {
		t.Fatal(err)
	}
	eb.Clock.Advance(4 * time.Second)
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	b := &bundle{http: srv}
	var got RunDetail
	res := b.do(t, "GET", "/api/v1/runs/"+strconv.FormatInt(run.ID, 10), viewerSecret, "")
	expect(t, "run", res, http.StatusOK)
	res.json(t, &got)
	p := got.Progress
	if p == nil || p.Done != 100 || p.Total != 400 || p.RatePerSecond != 25 || p.ETASeconds == nil || *p.ETASeconds != 12 || p.Percent != 25 {
		t.Fatalf("progress: %+v", p)
	}
	br := b.browser(t)
	br.login(viewerSecret)
	page := br.get("/runs/" + strconv.FormatInt(run.ID, 10))
	for _, want := range []string{`<progress id="progress-bar" max="400" value="100"`, "100 of 400 objects (25%), 25/s, about 12s left", `data-refresh="/api/v1/runs/`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the run page lacks %q:\n%s", want, page.body)
		}
	}
}
