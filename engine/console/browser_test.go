package console

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium returns the headless browser's path, or skips the test
// (fails it when SYNCLINE_TEST_REQUIRE names chromium).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if slices.Contains(strings.Split(os.Getenv("SYNCLINE_TEST_REQUIRE"), ","), "chromium") {
		t.Fatal("chromium is not installed, and SYNCLINE_TEST_REQUIRE names chromium: apt-get install chromium")
	}
	t.Skip("chromium is not installed (apt-get install chromium); set SYNCLINE_TEST_REQUIRE=chromium to fail instead")
	return ""
}

// TestConsoleInABrowser drives the console in a real headless Chromium:
// log in with an operator token, see the grid, Trigger a task, follow its
// run to succeeded, find it in History; a viewer's grid has no Trigger.
// Screenshots of the grid and the run page go to the test's artifact
// directory.
func TestConsoleInABrowser(t *testing.T) {
	t.Parallel()
	path := chromium(t)
	b := setup(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless)
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	shot := func(what string) []byte {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot of %s: %v", what, err)
		}
		return png
	}
	trigger := chromedp.CSS(`form[action="/tasks/hr-import/trigger"] button`)
	step("log in",
		chromedp.Navigate(b.http.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), operatorSecret),
		chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(trigger))
	gridText, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"hr-import", "Import people from HR", "iam-team", "nightly"} {
		if !strings.Contains(gridText, want) {
			t.Errorf("the grid lacks %q:\n%s", want, gridText)
		}
	}
	grid := shot("the grid")
	step("trigger", chromedp.Click(trigger), chromedp.WaitVisible(chromedp.ID("run-state")))
	// The run page follows the run as it goes: it reloads itself while the
	// run is queued or running, and a reload cuts a query short; wait
	// again until the page says the run succeeded.
	for attempt := 0; ; attempt++ {
		err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#run-state.state-succeeded")))
		if err == nil {
			break
		}
		if attempt == 20 || ctx.Err() != nil {
			t.Fatalf("the run to succeed: %v", err)
		}
	}
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(location, "/runs/") {
		t.Errorf("the run page is at %q (%v)", location, err)
	}
	runState := shot("the run page")
	step("history", chromedp.Navigate(b.http.URL+"/runs?task=hr-import"), chromedp.WaitVisible(chromedp.CSS("main")))
	history := shot("history")
	dir := t.ArtifactDir()
	for name, png := range map[string][]byte{"grid.png": grid, "run.png": runState, "history.png": history} {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// A viewer sees the grid without Trigger buttons.
	vctx, vcancel := chromedp.NewContext(alloc)
	t.Cleanup(vcancel)
	err = chromedp.Do(vctx,
		chromedp.Navigate(b.http.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), viewerSecret),
		chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(chromedp.CSS("table")))
	if err != nil {
		t.Fatal(err)
	}
	triggers, err := chromedp.Run(vctx, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/trigger"]').length`))
	if err != nil {
		t.Fatal(err)
	}
	if triggers != 0 {
		t.Errorf("a viewer's grid has %d Trigger forms", triggers)
	}
}
