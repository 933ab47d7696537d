package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/syncline/syncline/internal/gittest"
)

// launderSecret is the value of var.pw and env("TOKEN") in these tests.
const launderSecret = "S3cr3tT0ken-xyz"

// launderTraces are strings that would show the secret, or a recognisable
// piece of it, had it leaked.
var launderTraces = []string{launderSecret, "S3cr3t", "T0ken", "s3cr3tt0ken", "S3CR3TT0KEN"}

// launderEnviron gives the secret both ways: as the sensitive variable pw
// and as the environment variable TOKEN that env() reads.
var launderEnviron = []string{"SYNCLINE_VAR_pw=" + launderSecret, "TOKEN=" + launderSecret, "NO_COLOR=1"}

// launderVariable declares the sensitive variable.
const launderVariable = "variable \"pw\" {\n  type      = string\n  sensitive = true\n}\n"

// launderAllowed are attempts that the configuration accepts because they
// end where a secret may go (an exec env value, a connection setting); the
// value must stay hidden. SECRET stands for var.pw or env("TOKEN").
var launderAllowed = []string{
	`can(regex("^.{3}\\QX\\E", SECRET)) ? "X" : "-"`,
	`join("", [for i in range(15) : join("", [for c in split("", "abcdefghijklmnopqrstuvwxyzST0123456789-") : c if can(regex("^.{${i}}\\Q${c}\\E", SECRET))])])`,
	`try(tonumber(SECRET), "nan")`,
	`SECRET == "S3cr3tT0ken-xyz" ? "yes" : "no"`,
	`join(",", [for c in ["a", "S"] : c if startswith(SECRET, c)])`,
	`tostring(length(SECRET))`,
	`join(",", keys({ (SECRET) = 1 }))`,
	`"%{if substr(SECRET, 0, 1) == "S"}S%{endif}"`,
	`{a = "a", S = "S"}[substr(SECRET, 0, 1)]`,
	`lookup({S = "S"}, substr(SECRET, 0, 1), "?")`,
	`upper(SECRET)`,
	`jsonencode({k = SECRET})`,
}

// launderRefused are attempts that put a secret where a plain value is
// needed; each must be an error that does not quote it. task is a task
// setting, or with the prefix "ACTIVITY " an exec activity setting; SECRET
// stands for var.pw or env("TOKEN").
var launderRefused = []struct {
	name, task string
	want       []string // in the diagnostics; by default the refusal
}{
	{"description from can", `description = can(regex("^.{3}\\QX\\E", SECRET)) ? "X" : ""`, nil},
	{"description from try", `description = try(tonumber(SECRET), "not a number")`, nil},
	{"description from an object index", `description = {a = "a", S = "S"}[substr(SECRET, 0, 1)]`, nil},
	{"description from a duplicate for key", `description = jsonencode({for x in [SECRET, SECRET] : x => 1})`,
		[]string{"Duplicate object key", "The details are hidden because this expression reads a sensitive value"}},
	{"owner from a template", `owner = "${SECRET}"`, nil},
	{"mode from a comparison", `mode = SECRET == "x" ? "full" : "preview"`, nil},
	{"env name", `ACTIVITY env = { (SECRET) = "v" }`, nil},
	{"env name from a for", `ACTIVITY env = { for k in [SECRET] : k => "v" }`, nil},
}

var launderSources = []string{"var.pw", `env("TOKEN")`}

// launderConfig is the configuration with every allowed attempt, each in
// an exec env value and in a csv connection path, with both sources.
func launderConfig() string {
	var b strings.Builder
	b.WriteString(launderVariable)
	n := 0
	for _, src := range launderSources {
		for _, attempt := range launderAllowed {
			expr := strings.ReplaceAll(attempt, "SECRET", src)
			fmt.Fprintf(&b, "task \"t%02d\" {\n  activity \"exec\" {\n    command = \"true\"\n    env = { OUT = %s, PLAIN = \"visible\" }\n  }\n}\n", n, expr)
			fmt.Fprintf(&b, "resource \"r%02d\" {\n  connector = \"csv\"\n  connection {\n    path = %s\n    identifier = \"id\"\n  }\n}\n", n, expr)
			n++
		}
	}
	return b.String()
}

// refusedConfig is a configuration with one refused attempt.
func refusedConfig(task, src string) string {
	setting, activity := task, ""
	if rest, ok := strings.CutPrefix(task, "ACTIVITY "); ok {
		setting, activity = "", rest
	}
	return launderVariable + strings.ReplaceAll(fmt.Sprintf(
		"task \"t\" {\n  %s\n  activity \"exec\" {\n    command = \"true\"\n    %s\n  }\n}\n", setting, activity), "SECRET", src)
}

// checkNoSecret fails t when s shows the secret.
func checkNoSecret(t *testing.T, what, s string) {
	t.Helper()
	lower := strings.ToLower(s)
	for _, trace := range launderTraces {
		if strings.Contains(lower, strings.ToLower(trace)) {
			t.Errorf("%s shows the secret (%q):\n%s", what, trace, s)
			return
		}
	}
}

// launderRun runs syncline with the secret in its environment and checks
// that neither output shows it.
func launderRun(t *testing.T, wantCode int, args ...string) result {
	t.Helper()
	res := runApp(t, newApp(strings.NewReader(""), nil, nil, launderEnviron), args...)
	if res.code != wantCode {
		t.Fatalf("syncline %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), res.code, wantCode, res.stdout, res.stderr)
	}
	what := "syncline " + strings.Join(args, " ")
	checkNoSecret(t, what+" stdout", res.stdout)
	checkNoSecret(t, what+" stderr", res.stderr)
	return res
}

// TestSecretsCannotBeLaundered: a configuration that computes values from
// a secret in every way the language allows goes through validate, plan in
// every format, a plan file, apply and diff without the secret, or a piece
// of it, in any output, the plan file or the state.
func TestSecretsCannotBeLaundered(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": launderConfig()})
	st := filepath.Join(t.TempDir(), "state.db")
	planFile := filepath.Join(t.TempDir(), "laundering.plan")

	launderRun(t, 0, "validate", dir)
	text := launderRun(t, 0, "plan", "-state", st, dir)
	checkContains(t, "plan", text.stdout, `PLAIN`, `"visible"`, "(sensitive")
	launderRun(t, 0, "plan", "-state", st, "-format", "json", dir)
	launderRun(t, 0, "plan", "-state", st, "-format", "markdown", dir)
	launderRun(t, 0, "plan", "-state", st, "-out", planFile, dir)
	checkNoSecret(t, "the plan file", readFile(t, planFile))
	launderRun(t, 0, "apply", "-state", st, "-auto-approve", planFile)
	again := launderRun(t, 0, "plan", "-state", st, dir)
	checkContains(t, "plan after apply", again.stdout, "No changes")
	checkNoSecret(t, "the state", dumpSQLite(t, st))

	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": launderVariable})
	r.Commit("Variable only")
	r.Write(map[string]string{"main.hcl": launderConfig()})
	r.Commit("Launder")
	for _, format := range []string{"text", "json", "markdown"} {
		launderRun(t, 0, "diff", "-repo", r.Dir, "-format", format, "HEAD~1", "HEAD")
	}
}

// TestSecretsRefusedWherePlainValuesAreNeeded: each refused attempt is an
// error in validate, plan, apply and diff that names the problem and does
// not quote the secret, and it leaves the state without it.
func TestSecretsRefusedWherePlainValuesAreNeeded(t *testing.T) {
	t.Parallel()
	for _, tt := range launderRefused {
		for _, src := range launderSources {
			t.Run(tt.name+"/"+src, func(t *testing.T) {
				t.Parallel()
				cfg := refusedConfig(tt.task, src)
				dir := t.TempDir()
				writeFiles(t, dir, map[string]string{"main.hcl": cfg})
				st := filepath.Join(t.TempDir(), "state.db")
				res := launderRun(t, 1, "validate", dir)
				want := tt.want
				if want == nil {
					want = []string{"Sensitive value not allowed here", "derived from a sensitive value"}
				}
				checkContains(t, "validate", strings.Join(strings.Fields(res.stdout+res.stderr), " "), want...)
				launderRun(t, 1, "plan", "-state", st, dir)
				launderRun(t, 1, "plan", "-state", st, "-format", "json", dir)
				launderRun(t, 1, "apply", "-state", st, "-auto-approve", dir)
				if _, err := os.Stat(st); err == nil {
					checkNoSecret(t, "the state", dumpSQLite(t, st))
				}
				r := gittest.New(t)
				r.Write(map[string]string{"main.hcl": launderVariable})
				r.Commit("Variable only")
				r.Write(map[string]string{"main.hcl": cfg})
				r.Commit("Launder")
				launderRun(t, 1, "diff", "-repo", r.Dir, "-format", "markdown", "HEAD~1", "HEAD")
			})
		}
	}
}

// dumpSQLite returns every row of every table of the SQLite database at
// path as text.
func dumpSQLite(t *testing.T, path string) string {
	t.Helper()
	db := openReadOnly(t, path)
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		dumpTable(t, db, table, &b)
	}
	return b.String()
}

func dumpTable(t *testing.T, db *sql.DB, table string, b *strings.Builder) {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(b, "%s:", table)
		for _, v := range vals {
			if raw, ok := v.([]byte); ok {
				v = string(raw)
			}
			fmt.Fprintf(b, " %v", v)
		}
		b.WriteString("\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
