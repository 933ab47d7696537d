package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/gittest"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
)

const gitSchedules = `schedule "nightly" {
  cron     = "0 2 * * *"
  timezone = "Europe/Prague"
}
`

const gitTasks = `task "import" {
  schedule = schedule.nightly
  activity "exec" {
    command = "true"
  }
}

task "reconcile" {
  mode = "preview"
  activity "exec" {
    command = "true"
  }
}
`

// gitConfigRepo is a repository whose main branch holds a schedule and
// two tasks; feature removes one task, switches the other to full and
// moves the schedule.
func gitConfigRepo(t *testing.T) (r *gittest.Repo, mainSHA, featureSHA string) {
	t.Helper()
	r = gittest.New(t)
	r.Write(map[string]string{"schedules.hcl": gitSchedules, "tasks.hcl": gitTasks})
	mainSHA = r.Commit("Nightly import\n\nThe first definitions.")
	r.Checkout("feature")
	r.AuthorName, r.AuthorEmail = "Bob Builder", "bob@example.com"
	r.Write(map[string]string{
		"schedules.hcl": strings.Replace(gitSchedules, "0 2 * * *", "30 2 * * *", 1),
		"tasks.hcl":     "task \"reconcile\" {\n  mode = \"full\"\n  activity \"exec\" {\n    command = \"true\"\n  }\n}\n",
	})
	featureSHA = r.Commit("Go live")
	r.Checkout("main")
	return r, mainSHA, featureSHA
}

func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	res := runCLI(t, "", args...)
	if res.code != 0 {
		t.Fatalf("syncline %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), res.code, res.stdout, res.stderr)
	}
	return res
}

// TestApplyFromGitRecordsTheCommit: apply -repo -ref stores the commit on
// the definitions and in the history, with its author as who applied it.
func TestApplyFromGitRecordsTheCommit(t *testing.T) {
	t.Parallel()
	r, mainSHA, featureSHA := gitConfigRepo(t)
	r.Write(map[string]string{"tasks.hcl": "this is { not hcl"}) // the work tree is never read
	st := filepath.Join(t.TempDir(), "state.db")

	res := mustRun(t, "apply", "-repo", r.Dir, "-ref", "main", "-state", st, "-auto-approve")
	checkContains(t, "apply", res.stdout,
		`Revision `+mainSHA[:7]+` (main) "Nightly import" by Alice Admin <alice@example.com>.`,
		"Apply complete! 3 added",
		"Recorded revision "+mainSHA[:7]+" by Alice Admin <alice@example.com>.")

	res = mustRun(t, "apply", "-repo", r.Dir, "-ref", featureSHA[:9], "-state", st, "-auto-approve")
	checkContains(t, "apply", res.stdout, "Apply complete! 0 added, 2 changed, 1 removed")

	res = mustRun(t, "state", "history", "-state", st)
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("history:\n%s", res.stdout)
	}
	checkContains(t, "newest apply", lines[0], "serial 2", "Bob Builder <bob@example.com>", featureSHA[:7])
	checkContains(t, "first apply", lines[1], "serial 1", "Alice Admin <alice@example.com>", mainSHA[:7])

	res = mustRun(t, "show", "-state", st)
	checkContains(t, "show", res.stdout, "Latest applies:", featureSHA[:7])
	if !regexp.MustCompile(`task\.reconcile +\S+@` + featureSHA[:7] + `/tasks\.hcl:1 .* revision ` + featureSHA[:7]).MatchString(res.stdout) {
		t.Errorf("show does not give task.reconcile its revision:\n%s", res.stdout)
	}
}

// TestPlanFileFromGit: a saved plan made from a branch is applied from the
// commit it recorded, even after the branch moved on.
func TestPlanFileFromGit(t *testing.T) {
	t.Parallel()
	r, mainSHA, _ := gitConfigRepo(t)
	dir := t.TempDir()
	st, planPath := filepath.Join(dir, "state.db"), filepath.Join(dir, "main.plan")
	mustRun(t, "plan", "-repo", r.Dir, "-ref", "main", "-state", st, "-out", planPath)

	var f ops.PlanFile
	if err := json.Unmarshal([]byte(readFile(t, planPath)), &f); err != nil {
		t.Fatal(err)
	}
	if f.Git == nil || f.Git.Commit != mainSHA || f.Git.Ref != "main" || f.Git.Path != "." || f.ConfigDir != "" {
		t.Fatalf("plan file envelope: config_dir %q, git %+v", f.ConfigDir, f.Git)
	}

	r.Write(map[string]string{"schedules.hcl": strings.Replace(gitSchedules, "0 2", "0 4", 1)})
	r.Commit("Later change on main")
	res := mustRun(t, "apply", "-state", st, planPath)
	checkContains(t, "apply", res.stdout, "Apply complete! 3 added", "Recorded revision "+mainSHA[:7])

	res = runCLI(t, "", "apply", "-repo", r.Dir, planPath)
	if res.code != 1 || !strings.Contains(res.stderr, "-repo and -ref cannot be used with a plan file") {
		t.Errorf("exit %d, stderr:\n%s", res.code, res.stderr)
	}
}

func TestGitOptionErrors(t *testing.T) {
	t.Parallel()
	r, _, _ := gitConfigRepo(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown revision", []string{"plan", "-repo", r.Dir, "-ref", "featur"}, `Did you mean "feature"?`},
		{"not a repository", []string{"validate", "-repo", t.TempDir()}, "Not a git repository"},
		{"missing directory", []string{"validate", "-repo", r.Dir, "infra"}, "Configuration directory not found at revision"},
		{"remote", []string{"apply", "-repo", "https://example.com/iam.git", "-auto-approve"}, "Remote repositories are not read here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, "", tt.args...)
			if res.code != 1 || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("exit %d, want 1 with %q\nstderr:\n%s", res.code, tt.want, res.stderr)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	r, mainSHA, featureSHA := gitConfigRepo(t)

	res := runCLI(t, "", "diff", "-repo", r.Dir, "-detailed-exitcode", "main", "feature")
	if res.code != exitChanges {
		t.Fatalf("exit %d\nstderr:\n%s", res.code, res.stderr)
	}
	checkContains(t, "text", res.stdout,
		fmt.Sprintf("Syncline compared main (%s) with feature (%s).", mainSHA[:7], featureSHA[:7]),
		`~ cron = "0 2 * * *" -> "30 2 * * *"`,
		`# Note: Mode changes from "preview" to "full"`,
		"# task.import will be destroyed",
		"# Note: The task will be closed",
		"Plan: 0 to add, 2 to change, 1 to remove.")

	res = mustRun(t, "diff", "-repo", r.Dir, "-format", "markdown", "main", "feature")
	checkContains(t, "markdown", res.stdout,
		"### Syncline diff main..feature: 0 to add, 2 to change, 1 to remove\n",
		fmt.Sprintf("Definitions at `%s` (feature) compared with `%s` (main); no state was read.", featureSHA[:7], mainSHA[:7]),
		"> - `task.import`: The task will be closed; its run history is kept.",
		"> - `task.reconcile`: Mode changes from \"preview\" to \"full\"",
		"# next runs (Europe/Prague)")

	res = mustRun(t, "diff", "-repo", r.Dir, "-format", "json", "main", "feature")
	p, err := planner.DecodeJSON([]byte(res.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if p.Revision != featureSHA || p.Lineage != "" || p.Summary != (planner.Summary{Change: 2, Remove: 1}) {
		t.Errorf("json: revision %s, lineage %q, summary %+v", p.Revision, p.Lineage, p.Summary)
	}

	res = runCLI(t, "", "diff", "-repo", r.Dir, "-detailed-exitcode", "feature", "feature")
	if res.code != 0 || !strings.Contains(res.stdout, "No changes. Syncline compared feature") {
		t.Errorf("same revision: exit %d\n%s", res.code, res.stdout)
	}
}

func TestDiffErrors(t *testing.T) {
	t.Parallel()
	r, _, _ := gitConfigRepo(t)
	r.Write(map[string]string{"tasks.hcl": "task \"x\" {\n  activity \"exec\" {\n    command = var.cmd\n  }\n}\n" +
		"variable \"cmd\" {\n  type = string\n}\n"})
	r.Commit("Needs a variable")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"one revision", []string{"main"}, "expected two revisions"},
		{"unknown revision", []string{"nope", "main"}, "Unknown revision"},
		{"bad format", []string{"-format", "yaml", "main~1", "main"}, "-format must be text, json or markdown"},
		{"no configuration on either side", []string{"-path", "nowhere", "main", "feature"}, "neither main nor feature has configuration files"},
		{"a plain variable without a value", []string{"main~1", "main"}, `variable "cmd" has no value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, "", append([]string{"diff", "-repo", r.Dir}, tt.args...)...)
			if res.code != 1 || !strings.Contains(res.stderr, tt.want) {
				t.Errorf("exit %d, want 1 with %q\nstderr:\n%s", res.code, tt.want, res.stderr)
			}
		})
	}
	// A variable only one side declares takes its value from a variable
	// file: a -var for an undeclared variable is an error, as in plan.
	varFile := filepath.Join(t.TempDir(), "ci.vars.hcl")
	writeFiles(t, filepath.Dir(varFile), map[string]string{filepath.Base(varFile): "cmd = \"true\"\n"})
	res := runCLI(t, "", "diff", "-repo", r.Dir, "-var-file", varFile, "main~1", "main")
	if res.code != 0 || !strings.Contains(res.stdout, "# task.x will be created") {
		t.Errorf("with -var-file: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}

// TestDiffWithoutSecrets: a pull request is reviewed without its secrets;
// a secret changed on the branch is still shown only as sensitive.
func TestDiffWithoutSecrets(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	resource := func(table string) string {
		return `variable "dsn" {
  type      = string
  sensitive = true
}
resource "app" {
  connector = "sql"
  connection {
    driver = "postgres"
    dsn    = var.dsn
    table  = "` + table + `"
    key    = "login"
  }
}
`
	}
	r.Write(map[string]string{"main.hcl": resource("accounts")})
	r.Commit("App")
	r.Write(map[string]string{"main.hcl": resource("people")})
	r.Commit("Another table")
	res := mustRun(t, "diff", "-repo", r.Dir, "-format", "markdown", "HEAD~1", "HEAD")
	checkContains(t, "markdown", res.stdout,
		"- connection.table = \"accounts\"\n+ connection.table = \"people\"",
		"The connection changes (connection.table)")
	if strings.Contains(res.stdout, "connection.dsn") {
		t.Errorf("an unknown secret shows as a change:\n%s", res.stdout)
	}
}

// TestDiffBaseWithoutConfiguration: a branch that adds the configuration
// shows every definition as created.
func TestDiffBaseWithoutConfiguration(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"README.md": "# iam"})
	r.Commit("Start")
	r.Write(map[string]string{"iam/schedules.hcl": gitSchedules, "iam/tasks.hcl": gitTasks})
	r.Commit("Add the configuration")
	res := mustRun(t, "diff", "-repo", r.Dir, "-path", "iam", "-format", "markdown", "HEAD~1", "HEAD")
	checkContains(t, "markdown", res.stdout, "3 to add, 0 to change, 0 to remove", "which has no configuration yet")
	res = mustRun(t, "diff", "-repo", r.Dir, "-path", "iam", "HEAD~1", "HEAD")
	checkContains(t, "text", res.stdout, "(", "no configuration) with HEAD")
	// The other way round, removing the configuration removes everything.
	res = mustRun(t, "diff", "-repo", r.Dir, "-path", "iam", "HEAD", "HEAD~1")
	checkContains(t, "text", res.stdout, "Plan: 0 to add, 0 to change, 3 to remove.", "# Note: The task will be closed")
}

// TestDiffMarkdownFitsAComment: a diff too long for a GitHub comment is
// cut to fit, saying how much is left out.
func TestDiffMarkdownFitsAComment(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": gitSchedules})
	r.Commit("One schedule")
	var b strings.Builder
	for i := range 600 {
		fmt.Fprintf(&b, "task \"t-%04d\" {\n  description = \"a task with a long description so that the plan grows\"\n  activity \"exec\" {\n    command = \"run-%d\"\n  }\n}\n", i, i)
	}
	r.Write(map[string]string{"many.hcl": b.String()})
	r.Commit("Many schedules")
	res := mustRun(t, "diff", "-repo", r.Dir, "-format", "markdown", "HEAD~1", "HEAD")
	if n := utf8.RuneCountInString(res.stdout); n > views.GitHubCommentLimit {
		t.Fatalf("%d characters, more than a GitHub comment holds", n)
	}
	m := regexp.MustCompile(`(?m)^… (\d+) more changes; see the full plan in the CI log\.$`).FindStringSubmatch(res.stdout)
	if m == nil {
		t.Fatalf("no line saying what was left out:\n%s", res.stdout[len(res.stdout)-500:])
	}
	shown := strings.Count(res.stdout, "<details>")
	if n, _ := strconv.Atoi(m[1]); n+shown != 600 || shown == 0 {
		t.Errorf("%d detailed and %d more, want 600 in all and some detailed", shown, n)
	}
	if rows := strings.Count(res.stdout, "| `+` create |"); rows != 600 {
		t.Errorf("the table lists %d changes, want all 600", rows)
	}
}

// TestDiffReadsNoEnvironment: a branch under review cannot read the CI
// job's environment through env(), not even as a fingerprint; only
// SYNCLINE_VAR_name values are taken.
func TestDiffReadsNoEnvironment(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	resource := func(dsn string) string {
		return `variable "table" {
  type = string
}
resource "app" {
  connector = "sql"
  connection {
    driver = "postgres"
    dsn    = ` + dsn + `
    table  = var.table
    key    = "login"
  }
}
`
	}
	r.Write(map[string]string{"main.hcl": resource(`env("APP_DSN")`)})
	r.Commit("App")
	r.Write(map[string]string{"main.hcl": resource(`env("CI_TOKEN")`)})
	r.Commit("Read the token")
	a := newApp(strings.NewReader(""), nil, nil, []string{"CI_TOKEN=ghs_secret", "APP_DSN=postgres://app", "SYNCLINE_VAR_table=accounts"})
	res := runApp(t, a, "diff", "-repo", r.Dir, "-format", "json", "-detailed-exitcode", "HEAD~1", "HEAD")
	if res.code != 0 {
		t.Fatalf("exit %d, want 0 (no visible change)\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	checkContains(t, "json", res.stdout, `"changes": []`)
	if strings.Contains(res.stdout, "ghs_secret") {
		t.Error("the token is in the output")
	}
	// The variable came from SYNCLINE_VAR_table: without it, diff fails.
	a = newApp(strings.NewReader(""), nil, nil, []string{"CI_TOKEN=ghs_secret"})
	if res := runApp(t, a, "diff", "-repo", r.Dir, "HEAD~1", "HEAD"); res.code != 1 || !strings.Contains(res.stderr, `variable "table" has no value`) {
		t.Errorf("without SYNCLINE_VAR_table: exit %d\n%s", res.code, res.stderr)
	}
}
