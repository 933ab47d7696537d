package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/syncline/syncline/internal/gitmirror"
)

// TestHookScript runs the scripts in testdata/hook: they push to a bare
// repository with the git binary, so the post-receive hook that "syncline
// hook install" wrote runs a real syncline process. $SYNCLINE_EXE is such
// a process: a wrapper that re-executes the test binary as syncline.
func TestHookScript(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git binary")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/hook",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			wrapper := filepath.Join(env.WorkDir, "bin", "syncline")
			if err := os.MkdirAll(filepath.Dir(wrapper), 0o755); err != nil {
				return err
			}
			script := "#!/bin/sh\n" + runAsSyncline + "=1 exec " + gitmirror.ShellQuote(exe) + " \"$@\"\n"
			if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
				return err
			}
			env.Setenv("SYNCLINE_EXE", wrapper)
			env.Setenv("NO_COLOR", "1")
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("GIT_AUTHOR_NAME", "Alice Admin")
			env.Setenv("GIT_AUTHOR_EMAIL", "alice@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "Alice Admin")
			env.Setenv("GIT_COMMITTER_EMAIL", "alice@example.com")
			return nil
		},
	})
}
