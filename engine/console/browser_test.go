package console

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
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

// browserHCL is the browser test's configuration: hr-import and blocker
// each wait, in their one activity, until the test writes a line to
// their fifo, so that the test decides when they finish; nightly is
// scheduled.
const browserHCL = `
task "hr-import" {
  description = "Import people from HR"
  owner       = "iam-team"
  activity "exec" {
    command = "sh"
    args    = ["-c", "read line < %[1]s/hr-import && echo imported"]
  }
}

task "blocker" {
  activity "exec" {
    command = "sh"
    args    = ["-c", "read line < %[1]s/blocker"]
  }
}

task "nightly" {
  schedule {
    cron     = "0 2 * * *"
    timezone = "Europe/Prague"
  }
  activity "exec" {
    command = "true"
  }
}
`

// TestConsoleInABrowser drives the console in a real headless Chromium,
// on a server that runs one run at a time: log in with an operator token,
// see the grid, Trigger hr-import while blocker holds the only worker and
// watch the grid show it Queued, then Running once blocker ends, then
// Idle with its succeeded run once it ends; follow the run page; find it
// in History; suspend and resume the task from its page; a viewer's grid
// has no Trigger. Screenshots of the grid, the run page and History go to
// the test's artifact directory.
func TestConsoleInABrowser(t *testing.T) {
	t.Parallel()
	path := chromium(t)
	fifos := t.TempDir()
	for _, name := range []string{"hr-import", "blocker"} {
		if err := syscall.Mkfifo(filepath.Join(fifos, name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	b := setupWith(t, fmt.Sprintf(browserHCL, fifos), 1)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless)
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
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
	// release lets the run of task end: its shell reads a line from the
	// task's fifo. Opening the fifo waits until the shell reads it.
	release := func(task string) {
		t.Helper()
		done := make(chan error, 1)
		go func() {
			f, err := os.OpenFile(filepath.Join(fifos, task), os.O_WRONLY, 0)
			if err == nil {
				_, err = f.WriteString("go\n")
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("releasing %s: %v", task, err)
			}
		case <-ctx.Done():
			if f, err := os.OpenFile(filepath.Join(fifos, task), os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close() // lets the writer above give up
			}
			t.Fatalf("the run of %s never read its fifo: %v", task, ctx.Err())
		}
	}
	// gridShows waits until the grid, which refreshes itself, shows
	// task with status.
	gridShows := func(task, status string) {
		t.Helper()
		step("the grid to show "+task+" "+status,
			chromedp.WaitVisible(chromedp.CSS(`tr[data-task="`+task+`"] .status-`+strings.ToLower(status))))
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
	for _, want := range []string{"hr-import", "Import people from HR", "iam-team", "nightly", "Tasks 1–3 of 3"} {
		if !strings.Contains(gridText, want) {
			t.Errorf("the grid lacks %q:\n%s", want, gridText)
		}
	}
	grid := shot("the grid")

	// blocker takes the only worker; hr-import waits for it.
	step("trigger blocker", chromedp.Click(chromedp.CSS(`form[action="/tasks/blocker/trigger"] button`)), chromedp.WaitVisible(chromedp.ID("run-state")))
	step("back to the grid", chromedp.Navigate(b.http.URL+"/"))
	gridShows("blocker", StatusRunning)
	step("trigger", chromedp.Click(trigger), chromedp.WaitVisible(chromedp.ID("run-state")))
	runURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(runURL, "/runs/") {
		t.Fatalf("the run page is at %q (%v)", runURL, err)
	}
	step("back to the grid", chromedp.Navigate(b.http.URL+"/"))
	gridShows("hr-import", StatusQueued)
	release("blocker")
	gridShows("hr-import", StatusRunning)
	release("hr-import")
	gridShows("hr-import", StatusIdle)
	step("the grid's last result", chromedp.WaitVisible(chromedp.CSS(`tr[data-task="hr-import"] a.state-succeeded`)))

	// The run page says the run succeeded.
	step("the run page", chromedp.Navigate(runURL), chromedp.WaitVisible(chromedp.CSS("#run-state.state-succeeded")))
	runState := shot("the run page")
	step("history", chromedp.Navigate(b.http.URL+"/runs?task=hr-import"), chromedp.WaitVisible(chromedp.CSS("main")))
	history := shot("history")
	dir := t.ArtifactDir()
	for name, png := range map[string][]byte{"grid.png": grid, "run.png": runState, "history.png": history} {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Suspend and resume hr-import from its page: the grid shows it
	// Suspended without a Trigger button, then Idle again.
	step("suspend",
		chromedp.Navigate(b.http.URL+"/tasks/hr-import"),
		chromedp.WaitVisible(chromedp.ID("reason")),
		chromedp.SendKeys(chromedp.ID("reason"), "HR export late"),
		chromedp.Submit(chromedp.ID("reason")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/tasks/hr-import/resume"] button`)))
	taskText, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil || !strings.Contains(taskText, "Suspended") || !strings.Contains(taskText, "HR export late") || !strings.Contains(taskText, "by alice") {
		t.Errorf("the suspended task's page (%v):\n%s", err, taskText)
	}
	step("the grid", chromedp.Navigate(b.http.URL+"/"))
	gridShows("hr-import", StatusSuspended)
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('form[action="/tasks/hr-import/trigger"]').length`)); err != nil || n != 0 {
		t.Errorf("a suspended task has %d Trigger forms (%v)", n, err)
	}
	step("resume",
		chromedp.Navigate(b.http.URL+"/tasks/hr-import"),
		chromedp.Click(chromedp.CSS(`form[action="/tasks/hr-import/resume"] button`)),
		chromedp.WaitVisible(chromedp.ID("reason")))
	step("the grid", chromedp.Navigate(b.http.URL+"/"))
	gridShows("hr-import", StatusIdle)
	step("trigger is back", chromedp.WaitVisible(trigger))

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
