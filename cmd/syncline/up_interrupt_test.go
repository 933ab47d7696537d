package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// upBlockingTasks: a's run blocks until it is cancelled; b runs after a;
// c runs on its own, after a and b by name.
const upBlockingTasks = `
task "a" {
  activity "exec" {
    command = "sleep"
    args    = ["600"]
  }
}

task "b" {
  after = [task.a]
  activity "exec" {
    command = "true"
  }
}

task "c" {
  activity "exec" {
    command = "true"
  }
}
`

// TestUpInterrupted runs syncline up as a real process and sends it
// SIGINT, as Ctrl-C does, once task a's run has started: up ends a's run
// cancelled, skips b and c as not started, prints the summary of the
// round instead of "context canceled", and exits 1.
func TestUpInterrupted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"tasks.hcl": upBlockingTasks})
	cmd := exec.Command(os.Args[0], "-no-color", "up", dir)
	cmd.Env = append(os.Environ(), runAsSyncline+"=1", "NO_COLOR=1")
	var stderr syncBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		for sc := bufio.NewScanner(stdout); sc.Scan(); {
			lines <- sc.Text()
		}
	}()

	var out []string
	interrupted := false
	failsafe := time.After(2 * time.Minute)
	for done := false; !done; {
		select {
		case line, ok := <-lines:
			if !ok {
				done = true
				break
			}
			out = append(out, line)
			if line == "activity 1: exec (exec) started" && !interrupted {
				interrupted = true
				if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
			}
		case <-failsafe:
			t.Fatalf("no end of output after 2 minutes:\n%s", strings.Join(out, "\n"))
		}
	}
	err = cmd.Wait()
	text := strings.Join(out, "\n")
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 {
		t.Errorf("exit %v, want 1\n%s\n%s", err, text, stderr.String())
	}
	checkContains(t, "output", text,
		"Summary (interrupted)",
		"run 1  task.a  full  cancelled",
		"-      task.b  full  skipped    not started: up was interrupted",
		"-      task.c  full  skipped    not started: up was interrupted",
		"Interrupted: what the runs did before they stopped is kept")
	if strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("stderr says %q; the summary says what happened", stderr.String())
	}
}
