package exec

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	osexec "os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/internal/procgroup"
)

// Activity runs the exec activity's command: no shell, the arguments
// as written, the configuration directory (or working_dir relative to it)
// as working directory, env added to Syncline's own environment. It
// records the command line (environment variable names only, never their
// values), the exit code, the duration and the last 4 KiB of standard
// output and error. In preview and dry_run it records what it would run
// and runs nothing.
type Activity struct{}

// errExecTimeout is the cause when the activity's own timeout stops the
// command.
var errExecTimeout = errors.New("exec timeout")

// execWaitDelay is how long, after the command is killed, Syncline waits
// for its output pipes to close.
const execWaitDelay = 2 * time.Second

// Run runs the command once.
func (Activity) Run(ctx context.Context, ac *activity.Context) error {
	e := ac.Activity.Exec
	if e == nil || e.Command == "" {
		return errors.New("the exec activity has no command")
	}
	env, err := execEnv(e.Env)
	if err != nil {
		return err
	}
	dir := workingDir(ac.Dir, e.WorkingDir)
	line := commandLine(e.Command, e.Args)
	ac.SetTotal(1)
	ac.SetOutput("command", line)
	ac.SetOutput("working_dir", dir)
	if names := env.names(); names != "" {
		ac.SetOutput("env", names)
	}
	if ac.Mode != config.ModeFull {
		ac.SetOutput("would_run", "would run: "+line)
		ac.AddSkipped(1)
		return nil
	}
	return runCommand(ctx, ac, e, dir, env)
}

// runCommand starts the command, waits for it and records the outcome.
func runCommand(ctx context.Context, ac *activity.Context, e *config.ExecSettings, dir string, env execEnvironment) error {
	path, err := resolveCommand(e.Command, dir)
	if err != nil {
		return err
	}
	cmdCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if e.Timeout > 0 {
		t := ac.Clock.AfterFunc(e.Timeout, func() { cancel(errExecTimeout) })
		defer t.Stop()
	}
	stdout, stderr := newTail(tailSize), newTail(tailSize)
	cmd := osexec.CommandContext(cmdCtx, path, e.Args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env.pairs()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = execWaitDelay
	killGroup(cmd)
	start := ac.Clock.Now()
	runErr := runInGroup(ctx, ac, cmd)
	ac.SetOutput("duration", config.DescribeDuration(ac.Clock.Now().Sub(start)))
	ac.SetOutput("stdout_tail", env.redact(stdout.String()))
	ac.SetOutput("stderr_tail", env.redact(stderr.String()))
	if cmd.ProcessState != nil {
		ac.SetOutput("exit_code", fmt.Sprint(cmd.ProcessState.ExitCode()))
	}
	if err := execError(cmdCtx, runErr, e, env.redact(stderr.LastLine())); err != nil {
		ac.AddFailures(1)
		return err
	}
	ac.AddSuccess(1)
	return nil
}

// runInGroup starts cmd in its own process group, records the group with
// the run, waits for it and records that it ended.
//
// The child is started with Pdeathsig (Linux): the kernel kills it when
// the thread that forked it exits — not only when the process does. The
// Go runtime may end an idle OS thread, so the goroutine stays locked to
// its thread from the fork until the child has been waited for: the
// thread cannot exit under a live child. (A dedicated forking thread would
// serve too, at the cost of a goroutine and a channel per command.)
// Pdeathsig only reaches the child, not what it starts itself; the group
// recorded with the run is how the run that recovers this one finds and
// kills those.
func runInGroup(ctx context.Context, ac *activity.Context, cmd *osexec.Cmd) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cmd.Start(); err != nil {
		return err
	}
	recordErr := ac.RecordProcessGroup(ctx, procgroup.Of(cmd.Process.Pid))
	err := cmd.Wait()
	ac.ClearProcessGroup()
	if err == nil && recordErr != nil {
		return fmt.Errorf("the command ran, but its process group could not be recorded: %w", recordErr)
	}
	return err
}

// execError says why the command did not succeed, or nil.
func execError(ctx context.Context, runErr error, e *config.ExecSettings, lastLine string) error {
	if runErr == nil {
		return nil
	}
	if ctx.Err() != nil {
		if errors.Is(context.Cause(ctx), errExecTimeout) {
			return fmt.Errorf("the command timed out after %s and was killed", config.DescribeDuration(e.Timeout))
		}
		return fmt.Errorf("the command was stopped: %w", context.Cause(ctx))
	}
	var exitErr *osexec.ExitError
	if !errors.As(runErr, &exitErr) {
		return fmt.Errorf("the command %q could not be run: %w", e.Command, runErr)
	}
	msg := fmt.Sprintf("the command exited with status %d", exitErr.ExitCode())
	if exitErr.ExitCode() < 0 {
		msg = "the command was killed: " + exitErr.String()
	}
	if lastLine != "" {
		msg += ": " + lastLine
	}
	return errors.New(msg)
}

// resolveCommand finds the program: a name without a slash in PATH, a
// relative path in the working directory.
func resolveCommand(command, dir string) (string, error) {
	if !strings.ContainsRune(command, filepath.Separator) {
		path, err := osexec.LookPath(command)
		if err != nil {
			return "", fmt.Errorf("the command %q was not found in PATH (%s)", command, os.Getenv("PATH"))
		}
		return path, nil
	}
	path := command
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("the command %q does not exist (looked for %s)", command, path)
	case err != nil:
		return "", fmt.Errorf("the command %q cannot be run: %w", command, err)
	case info.IsDir() || info.Mode()&0o111 == 0:
		return "", fmt.Errorf("the command %q (%s) is not an executable file", command, path)
	}
	return filepath.Abs(path)
}

// workingDir is working_dir relative to the configuration directory, or
// the configuration directory itself.
func workingDir(configDir, wd string) string {
	switch {
	case wd == "":
		return configDir
	case filepath.IsAbs(wd):
		return wd
	}
	return filepath.Join(configDir, wd)
}
