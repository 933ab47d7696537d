package exec_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/syncline/syncline/engine/activity/exec"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// runExec applies a task with one exec activity and runs it once.
func runExec(t *testing.T, hcl string) (*bundle, *state.Run) {
	t.Helper()
	b := setup(t, hcl)
	return b, b.manual(t, b.runner(t, "host:1:run"), "job")
}

func TestExecSucceeds(t *testing.T) {
	t.Parallel()
	_, run := runExec(t, enginetest.ExecTask(`command = "sh"
args = ["-c", "echo hello; echo warn >&2"]`))
	if run.State != state.RunSucceeded || run.Error != "" {
		t.Fatalf("run %s: %s", run.State, run.Error)
	}
	a := run.Activities[0]
	want := map[string]string{"command": `sh -c 'echo hello; echo warn >&2'`, "exit_code": "0",
		"stdout_tail": "hello\n", "stderr_tail": "warn\n"}
	for k, v := range want {
		if a.Output[k] != v {
			t.Errorf("output %s = %q, want %q", k, a.Output[k], v)
		}
	}
	if a.Output["duration"] == "" || a.Total != 1 || a.Success != 1 || a.State != state.RunSucceeded {
		t.Errorf("activity %+v", a)
	}
}

func TestExecFailsWithExitCode(t *testing.T) {
	t.Parallel()
	b, run := runExec(t, enginetest.ExecTask(`command = "sh"
args = ["-c", "echo working; echo 'disk full' >&2; exit 3"]`))
	want := `activity "exec" failed: the command exited with status 3: disk full`
	if run.State != state.RunFailed || run.Error != want {
		t.Fatalf("run %s: %q\nwant %q", run.State, run.Error, want)
	}
	stored, err := b.Store.RunGet(b.Ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := stored.Activities[0]
	if a.State != state.RunFailed || a.Output["exit_code"] != "3" || a.Failure != 1 || a.Output["stdout_tail"] != "working\n" {
		t.Errorf("stored activity %+v", a)
	}
}

func TestExecMissingCommand(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ command, want string }{
		{"no-such-command-syncline", `the command "no-such-command-syncline" was not found in PATH`},
		{"./missing.sh", `the command "./missing.sh" does not exist`},
	} {
		_, run := runExec(t, enginetest.ExecTask(`command = "`+tt.command+`"`))
		if run.State != state.RunFailed || !strings.Contains(run.Error, tt.want) {
			t.Errorf("%s: run %s: %q", tt.command, run.State, run.Error)
		}
	}
}

func TestExecPreviewDoesNotRun(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"preview", "dry_run"} {
		b := setup(t, "task \"job\" {\n  mode = \""+mode+"\"\n  activity \"exec\" {\n    command = \"touch\"\n    args = [\"marker file\"]\n  }\n}\n")
		run := b.manual(t, b.runner(t, "host:1:run"), "job")
		if run.State != state.RunSucceeded {
			t.Fatalf("%s: run %s: %s", mode, run.State, run.Error)
		}
		a := run.Activities[0]
		if a.Output["would_run"] != "would run: touch 'marker file'" || a.Skipped != 1 || a.Output["exit_code"] != "" {
			t.Errorf("%s: activity %+v", mode, a)
		}
		if _, err := os.Stat(filepath.Join(b.Dir, "marker file")); !os.IsNotExist(err) {
			t.Errorf("%s: the command ran: %v", mode, err)
		}
	}
}

func TestExecSecretNeverRecorded(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-t0ken-value"
	b, run := runExec(t, `
variable "token" {
  type      = string
  sensitive = true
  default   = "`+secret+`"
}
`+enginetest.ExecTask(`command = "sh"
args = ["-c", "echo token=$TOKEN plain=$PLAIN; echo $TOKEN >&2; exit 1"]
env = { TOKEN = var.token, PLAIN = "visible" }`))
	a := run.Activities[0]
	if a.Output["stdout_tail"] != "token=(sensitive value) plain=visible\n" || a.Output["env"] != "PLAIN, TOKEN" {
		t.Errorf("output %q", a.Output)
	}
	stored, err := b.Store.RunGet(b.Ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(stored)
	if strings.Contains(string(data), secret) || strings.Contains(run.Error, secret) {
		t.Fatalf("the secret is in the run: %s", data)
	}
	files, _ := filepath.Glob(b.Store.Path() + "*")
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		if strings.Contains(string(raw), secret) {
			t.Errorf("the secret is in %s", f)
		}
	}
}

func TestExecTailIsBoundedUTF8(t *testing.T) {
	t.Parallel()
	_, run := runExec(t, enginetest.ExecTask(`command = "sh"
args = ["-c", "i=0; while [ $i -lt 2000 ]; do printf 'žluťoučký kůň '; i=$((i+1)); done; echo END"]`))
	out := run.Activities[0].Output["stdout_tail"]
	if len(out) > exec.TailSize || !utf8.ValidString(out) || !strings.HasSuffix(out, "kůň END\n") || len(out) < exec.TailSize-4 {
		t.Errorf("tail of %d bytes, valid %v, ends %q", len(out), utf8.ValidString(out), out[max(0, len(out)-20):])
	}
}

func TestExecWorkingDir(t *testing.T) {
	t.Parallel()
	b := setup(t, enginetest.ExecTask(`command = "pwd"
working_dir = "sub"`))
	if err := os.Mkdir(filepath.Join(b.Dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	run := b.manual(t, b.runner(t, "host:1:run"), "job")
	if got := run.Activities[0].Output["stdout_tail"]; !strings.HasSuffix(got, string(filepath.Separator)+"sub\n") {
		t.Errorf("pwd printed %q", got)
	}
}

func TestExecTimeout(t *testing.T) {
	t.Parallel()
	b := setup(t, enginetest.ExecTask(`command = "sh"
args = ["-c", "sleep 30"]
timeout = "200ms"`))
	r := b.runner(t, "host:1:run")
	r.Clock = clock.Real{}
	run := b.manual(t, r, "job")
	want := `activity "exec" failed: the command timed out after 200ms and was killed`
	if run.State != state.RunFailed || run.Error != want {
		t.Errorf("run %s: %q", run.State, run.Error)
	}
}
