package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/state"
)

// trustFiles is a configuration with two tasks and a schedule.
var trustFiles = map[string]string{
	"main.hcl": `
schedule "nightly" {
  cron = "0 2 * * *"
}
task "keep" {
  schedule = schedule.nightly
  activity "exec" {
    command = "true"
  }
}
task "other" {
  activity "exec" {
    command = "true"
  }
}
`,
}

// TestForgedPlanFile: a plan file with a change its configuration does
// not give is refused — edited with the old, unkeyed checksum recomputed,
// by the MAC; edited and re-MACed by someone who holds the state's key,
// by recomputing the plan — and the state is left as it was.
func TestForgedPlanFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, trustFiles)
	if res := runCLI(t, "", "apply", "-auto-approve", dir); res.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	writeFiles(t, dir, map[string]string{"main.hcl": strings.Replace(trustFiles["main.hcl"], "0 2 * * *", "0 3 * * *", 1)})
	planPath := filepath.Join(dir, "change.plan")
	if res := runCLI(t, "", "plan", "-out", planPath, dir); res.code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	stateDB := filepath.Join(dir, ".syncline", "state.db")
	key := readStateKey(t, stateDB)

	tests := []struct {
		name string
		sign func(f *ops.PlanFile) string
		want string
	}{
		{"unkeyed checksum", func(f *ops.PlanFile) string {
			f.MAC = ""
			data, _ := json.Marshal(f)
			sum := sha256.Sum256(data)
			return "sha256:" + hex.EncodeToString(sum[:])
		}, "its MAC does not match its content"},
		{"MAC under another key", func(f *ops.PlanFile) string {
			mac, _ := f.Sign(state.EphemeralKey())
			return mac
		}, "its MAC does not match its content"},
		{"MAC under the state's key", func(f *ops.PlanFile) string {
			mac, _ := f.Sign(key)
			return mac
		}, `"task.other": the plan file says "delete", recomputed: no change`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forged := filepath.Join(t.TempDir(), "forged.plan")
			writeForgedPlan(t, planPath, forged, tt.sign)
			res := runCLI(t, "", "apply", forged)
			if res.code != 1 {
				t.Fatalf("apply of a forged plan: exit %d\n%s%s", res.code, res.stdout, res.stderr)
			}
			checkContains(t, "stderr", res.stderr, tt.want)
			if strings.Contains(res.stdout, "Apply complete") {
				t.Errorf("the forged plan was applied:\n%s", res.stdout)
			}
		})
	}
	res := runCLI(t, "", "state", "list", "-state", stateDB)
	checkContains(t, "state list", res.stdout, "task.other", "task.keep")
	// The genuine plan still applies: nothing above changed the state.
	if res := runCLI(t, "", "apply", planPath); res.code != 0 || !strings.Contains(res.stdout, "0 added, 1 changed, 0 removed") {
		t.Fatalf("apply of the genuine plan: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}

// writeForgedPlan copies the plan file at from to to with an extra
// change deleting task.other, signed by sign.
func writeForgedPlan(t *testing.T, from, to string, sign func(*ops.PlanFile) string) {
	t.Helper()
	var f ops.PlanFile
	if err := json.Unmarshal([]byte(readFile(t, from)), &f); err != nil {
		t.Fatal(err)
	}
	var plan map[string]any
	if err := json.Unmarshal(f.Plan, &plan); err != nil {
		t.Fatal(err)
	}
	changes := plan["changes"].([]any)
	plan["changes"] = append(changes, map[string]any{
		"address": "task.other", "action": "delete", "kind": "task", "name": "other",
		"attributes": []any{}, "source": "main.hcl:9", "before": nil, "after": nil,
	})
	plan["summary"].(map[string]any)["remove"] = 1
	data, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	f.Plan = data
	f.MAC = sign(&f)
	out, err := json.Marshal(&f)
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, filepath.Dir(to), map[string]string{filepath.Base(to): string(out)})
}

// readStateKey reads a store's secret key straight from its database, as
// someone who can read the state could.
func readStateKey(t *testing.T, path string) state.SecretKey {
	t.Helper()
	db := openReadOnly(t, path)
	var text string
	if err := db.QueryRowContext(context.Background(), `SELECT value FROM meta WHERE key = 'secret_key'`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	key, err := hex.DecodeString(text)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// TestVariableChangeIsPlanned: on a copy of the quickstart, every way of
// changing app_domain — which only a mapping reads — is a planned change
// naming the variable, and a run loaded with the new value but not
// applied is refused without writing an account.
func TestVariableChangeIsPlanned(t *testing.T) {
	t.Parallel()
	dir := copyQuickstart(t)
	if res := runCLI(t, "", "apply", "-auto-approve", dir); res.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	writeFiles(t, dir, map[string]string{"org.vars": "app_domain = \"example.org\"\n"})
	edited := t.TempDir()
	writeFiles(t, edited, map[string]string{"syncline.hcl": strings.Replace(
		readFile(t, filepath.Join(dir, "syncline.hcl")), `"example.com"`, `"example.org"`, 1)})
	tests := []struct {
		name string
		args []string
		edit bool // the variable's default is edited
	}{
		{"-var", []string{"-var", "app_domain=example.org"}, false},
		{"-var-file", []string{"-var-file", filepath.Join(dir, "org.vars")}, false},
		{"default", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-no-color", "plan", "-detailed-exitcode"}, tt.args...)
			cfg := dir
			if tt.edit {
				cfg = copyWith(t, dir, edited)
				args = append(args, "-state", filepath.Join(dir, ".syncline", "state.db"))
			}
			res := runCLI(t, "", append(args, cfg)...)
			if res.code != 2 {
				t.Fatalf("plan: exit %d, want 2\n%s%s", res.code, res.stdout, res.stderr)
			}
			checkContains(t, "plan", res.stdout, "# resource.app will be updated in place",
				`~ var.app_domain = "example.com" -> "example.org"`, "Plan: 0 to add, 1 to change, 0 to remove.")
		})
	}

	t.Run("SYNCLINE_VAR_app_domain", func(t *testing.T) {
		a := newApp(strings.NewReader(""), nil, nil, append(os.Environ(), "SYNCLINE_VAR_app_domain=example.org"))
		res := runApp(t, a, "-no-color", "plan", "-detailed-exitcode", dir)
		if res.code != 2 {
			t.Fatalf("plan: exit %d, want 2\n%s%s", res.code, res.stdout, res.stderr)
		}
		checkContains(t, "plan", res.stdout, `~ var.app_domain = "example.com" -> "example.org"`)
	})

	res := runCLI(t, "", "run", "-var", "app_domain=example.org", "hr-import", dir)
	if res.code != 1 {
		t.Fatalf("run with an unapplied value: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	checkContains(t, "run", res.stderr,
		`resource.app (used by task.hr-import) in `+dir+` differs from the applied definition: var.app_domain is "example.org", applied "example.com"`,
		"run syncline plan / apply")
	if strings.Contains(res.stdout, "Changed") {
		t.Errorf("the refused run changed something:\n%s", res.stdout)
	}
	// Applied, the value runs.
	if res := runCLI(t, "", "apply", "-auto-approve", "-var", "app_domain=example.org", dir); res.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if res := runCLI(t, "", "run", "-var", "app_domain=example.org", "hr-import", dir); res.code != 0 {
		t.Fatalf("run after apply: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}

// copyWith copies the configuration in dir to a new directory, with the
// files in over replacing theirs.
func copyWith(t *testing.T, dir, over string) string {
	t.Helper()
	out := t.TempDir()
	for _, from := range []string{dir, over} {
		entries, err := os.ReadDir(from)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".hcl") {
				continue
			}
			writeFiles(t, out, map[string]string{e.Name(): readFile(t, filepath.Join(from, e.Name()))})
		}
	}
	return out
}
