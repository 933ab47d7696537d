package config

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zclconf/go-cty/cty"
)

// launderingSecret is the value of var.pw and of env("TOKEN") in the
// laundering tests.
const launderingSecret = "S3cr3tT0ken-xyz"

// A launderingAttempt tries to get a secret out through a configuration
// value. In expr and locals, SECRET stands for the sensitive value (var.pw
// or env("TOKEN")).
type launderingAttempt struct {
	name   string
	place  launderingPlace
	expr   string
	locals string
}

// A launderingPlace is where an attempt puts its expression. Plain places
// must refuse it; the others must keep it marked.
type launderingPlace string

const (
	placeDescription launderingPlace = "description"
	placeOwner       launderingPlace = "owner"
	placeCommand     launderingPlace = "command"
	placeArgs        launderingPlace = "args"
	placeMode        launderingPlace = "mode"
	placeEnvName     launderingPlace = "env name"
	placeEnvValue    launderingPlace = "env value"
	placeConnection  launderingPlace = "connection path"
)

// refused reports whether a sensitive value is an error in p.
func (p launderingPlace) refused() bool {
	return p != placeEnvValue && p != placeConnection
}

// launderingAttempts are written as an attacker would write them in a pull
// request; docs/language.md#sensitive-values says why each is refused or
// kept secret.
var launderingAttempts = []launderingAttempt{
	{name: "can regex oracle in a conditional", place: placeDescription, expr: `can(regex("^.{3}\\QX\\E", SECRET)) ? "X" : ""`},
	{name: "can regex loop over positions and characters", place: placeDescription,
		expr: `join("", [for i in range(15) : join("", [for c in split("", "abcdefghijklmnopqrstuvwxyzST0123456789-") : c if can(regex("^.{${i}}\\Q${c}\\E", SECRET))])])`},
	{name: "try tonumber fallback", place: placeDescription, expr: `try(tonumber(SECRET), "not a number")`},
	{name: "try attribute fallback", place: placeDescription, expr: `try(SECRET.missing, "fallback")`},
	{name: "can on its own", place: placeDescription, expr: `can(SECRET) ? "set" : "unset"`},
	{name: "comparison in a conditional", place: placeDescription, expr: `SECRET == "S3cr3tT0ken-xyz" ? "yes" : "no"`},
	{name: "comparison as text", place: placeDescription, expr: `"${SECRET != "guess"}"`},
	{name: "for filter", place: placeDescription, expr: `join(",", [for c in ["a", "S"] : c if startswith(SECRET, c)])`},
	{name: "length", place: placeDescription, expr: `"${length(SECRET)}"`},
	{name: "length comparison", place: placeOwner, expr: `length(SECRET) > 10 ? "long" : "short"`},
	{name: "keys of a secret-keyed object", place: placeDescription, expr: `join(",", keys({ (SECRET) = 1 }))`},
	{name: "template", place: placeDescription, expr: `"token: ${SECRET}"`},
	{name: "template directive", place: placeDescription, expr: `"%{if substr(SECRET, 0, 1) == "S"}S%{endif}"`},
	{name: "format", place: placeOwner, expr: `format("%s", SECRET)`},
	{name: "join", place: placeCommand, expr: `join("-", [SECRET])`},
	{name: "substr", place: placeDescription, expr: `substr(SECRET, 0, 3)`},
	{name: "index", place: placeDescription, expr: `tostring(index(["a", "S3cr3tT0ken-xyz"], SECRET))`},
	{name: "contains", place: placeDescription, expr: `contains(["S3cr3tT0ken-xyz"], SECRET) ? "yes" : "no"`},
	{name: "lookup by a secret key", place: placeDescription, expr: `lookup({S = "S", T = "T"}, substr(SECRET, 0, 1), "?")`},
	{name: "object index by a secret key", place: placeDescription, expr: `{a = "a", S = "S"}[substr(SECRET, 0, 1)]`},
	{name: "object index inside a for", place: placeDescription, expr: `join("", [for c in split("", SECRET) : {S = "S", "3" = "3"}[c] if c == "S" || c == "3"])`},
	{name: "upper", place: placeArgs, expr: `upper(SECRET)`},
	{name: "lower", place: placeDescription, expr: `lower(SECRET)`},
	{name: "jsonencode", place: placeDescription, expr: `jsonencode({k = SECRET})`},
	{name: "replace", place: placeDescription, expr: `replace(SECRET, "/[^S]/", "")`},
	{name: "nested locals", place: placeDescription, expr: `local.second`,
		locals: `first = substr(SECRET, 0, 1)` + "\n" + `second = "${local.first}!"`},
	{name: "can in a local", place: placeDescription, expr: `local.starts ? "S" : "-"`,
		locals: `starts = can(regex("^S", SECRET))`},
	{name: "try in a local", place: placeDescription, expr: `local.n`,
		locals: `n = try(tonumber(SECRET), "nan")`},
	{name: "element by a secret-derived index", place: placeDescription, expr: `element(["a", "b", "c"], length(regexall("3", SECRET)))`},
	{name: "sort", place: placeDescription, expr: `sort([SECRET, "a"])[1]`},
	{name: "csvdecode", place: placeDescription, expr: `csvdecode("a\n${SECRET}")[0].a`},
	{name: "secret decides the mode", place: placeMode, expr: `can(regex("^S", SECRET)) ? "full" : "preview"`},
	{name: "secret as an env name", place: placeEnvName, expr: `SECRET`},
	{name: "secret-derived env name", place: placeEnvName, expr: `upper(SECRET)`},
	{name: "env names from a for over the secret", place: placeEnvName, expr: `"${SECRET}"`},
	{name: "env value from can", place: placeEnvValue, expr: `can(regex("^S", SECRET)) ? "S" : "-"`},
	{name: "env value from try", place: placeEnvValue, expr: `try(tonumber(SECRET), "nan")`},
	{name: "env value from a for filter", place: placeEnvValue, expr: `join("", [for c in ["a", "S"] : c if startswith(SECRET, c)])`},
	{name: "env value from an object index", place: placeEnvValue, expr: `{a = "a", S = "S"}[substr(SECRET, 0, 1)]`},
	{name: "env value from a comparison", place: placeEnvValue, expr: `SECRET == "x" ? "yes" : "no"`},
	{name: "env value from length", place: placeEnvValue, expr: `tostring(length(SECRET))`},
	{name: "env value from a local", place: placeEnvValue, expr: `local.starts ? "S" : "-"`,
		locals: `starts = can(regex("^S", SECRET))`},
	{name: "connection setting from can", place: placeConnection, expr: `can(regex("^S", SECRET)) ? "a.csv" : "b.csv"`},
	{name: "connection setting from an object index", place: placeConnection, expr: `{a = "a.csv", S = "S.csv"}[substr(SECRET, 0, 1)]`},
}

// launderingSources are the sensitive values each attempt is tried with.
var launderingSources = []struct{ name, expr string }{
	{"variable", "var.pw"},
	{"env", `env("TOKEN")`},
}

// launderingConfig is a configuration that puts a.expr in a.place, with
// SECRET replaced by source.
func launderingConfig(a launderingAttempt, source string) string {
	var b strings.Builder
	b.WriteString("variable \"pw\" {\n  type      = string\n  sensitive = true\n}\n")
	if a.locals != "" {
		fmt.Fprintf(&b, "locals {\n%s\n}\n", a.locals)
	}
	setting := map[launderingPlace]string{
		placeDescription: "description = EXPR",
		placeOwner:       "owner = EXPR",
		placeMode:        "mode = EXPR",
	}[a.place]
	activity := map[launderingPlace]string{
		placeCommand:  "command = EXPR",
		placeArgs:     "command = \"true\"\n    args = [EXPR]",
		placeEnvName:  "command = \"true\"\n    env = { (EXPR) = \"v\" }",
		placeEnvValue: "command = \"true\"\n    env = { OUT = EXPR }",
	}[a.place]
	if activity == "" {
		activity = `command = "true"`
	}
	if a.place == placeConnection {
		b.WriteString("resource \"hr\" {\n  connector = \"csv\"\n  connection {\n    path = EXPR\n    identifier = \"id\"\n  }\n}\n")
	}
	fmt.Fprintf(&b, "task \"t\" {\n  %s\n  activity \"exec\" {\n    %s\n  }\n}\n", setting, activity)
	return strings.ReplaceAll(strings.ReplaceAll(b.String(), "EXPR", a.expr), "SECRET", source)
}

// launderedValue is the value an allowed attempt produced.
func launderedValue(cfg *Config, p launderingPlace) cty.Value {
	switch p {
	case placeEnvValue:
		return cfg.Tasks["t"].Activities[0].Exec.Env["OUT"]
	case placeConnection:
		return cfg.Resources["hr"].Connection.Attributes["path"]
	}
	return cty.NilVal
}

// TestLaunderingAttempts: every attempt either is refused with a
// diagnostic that does not quote the secret, or yields a marked value.
func TestLaunderingAttempts(t *testing.T) {
	t.Parallel()
	if len(launderingAttempts) < 25 {
		t.Fatalf("only %d attempts", len(launderingAttempts))
	}
	for _, a := range launderingAttempts {
		for _, src := range launderingSources {
			t.Run(a.name+"/"+src.name, func(t *testing.T) {
				t.Parallel()
				checkLaunderingAttempt(t, a, launderingConfig(a, src.expr))
			})
		}
	}
}

func checkLaunderingAttempt(t *testing.T, a launderingAttempt, src string) {
	t.Helper()
	fsys := fstest.MapFS{"main.hcl": {Data: []byte(src)}}
	cfg, diags := LoadFS(fsys, "cfg", LoadOptions{Environ: []string{"TOKEN=" + launderingSecret, "SYNCLINE_VAR_pw=" + launderingSecret}})
	for _, d := range diags {
		if text := d.Summary + d.Detail; strings.Contains(text, launderingSecret) || strings.Contains(text, "S3cr3t") {
			t.Fatalf("a diagnostic reveals the secret: %s\n%s", text, src)
		}
	}
	if a.place.refused() {
		if !diags.HasErrors() || !strings.Contains(diags.Error(), "Sensitive value not allowed here") {
			t.Fatalf("got %v, want Sensitive value not allowed here\n%s", diags, src)
		}
		if !strings.Contains(diags.Error(), "derived from a sensitive value") {
			t.Errorf("the diagnostic does not say why: %s", diags.Error())
		}
		return
	}
	if diags.HasErrors() {
		t.Fatalf("%s\n%s", diags.Error(), src)
	}
	if v := launderedValue(cfg, a.place); v == cty.NilVal || !v.HasMarkDeep(Sensitive) {
		t.Fatalf("%s = %#v, want it marked Sensitive\n%s", a.place, v, src)
	}
}
