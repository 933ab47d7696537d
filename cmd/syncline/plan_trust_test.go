package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

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
		sign func(f *planFile) string
		want string
	}{
		{"unkeyed checksum", func(f *planFile) string {
			f.MAC = ""
			data, _ := json.Marshal(f)
			sum := sha256.Sum256(data)
			return "sha256:" + hex.EncodeToString(sum[:])
		}, "its MAC does not match its content"},
		{"MAC under another key", func(f *planFile) string {
			mac, _ := f.mac(state.EphemeralKey())
			return mac
		}, "its MAC does not match its content"},
		{"MAC under the state's key", func(f *planFile) string {
			mac, _ := f.mac(key)
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
func writeForgedPlan(t *testing.T, from, to string, sign func(*planFile) string) {
	t.Helper()
	var f planFile
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
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
