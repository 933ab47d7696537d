package config

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// derivedTestVars are the variables the derived-value tests see: pw and m
// are sensitive.
func derivedTestVars() map[string]cty.Value {
	return map[string]cty.Value{
		"pw":    cty.StringVal("S3cr3t").Mark(Sensitive),
		"m":     cty.MapVal(map[string]cty.Value{"a": cty.StringVal("b")}).Mark(Sensitive),
		"plain": cty.StringVal("plain"),
	}
}

// evalDerived evaluates src as configuration values are evaluated (see
// evaluate), with derivedTestVars as var.NAME.
func evalDerived(t *testing.T, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags.Error())
	}
	ctx := &hcl.EvalContext{
		Functions: NewFunctionTable(funcTestFiles(), funcTestEnv),
		Variables: map[string]cty.Value{"var": cty.ObjectVal(derivedTestVars())},
	}
	return evaluate(expr, ctx)
}

// TestDerivedValuesAreSensitive: one case per mechanism by which a value
// can be computed from a sensitive one; each result must be marked.
func TestDerivedValuesAreSensitive(t *testing.T) {
	t.Parallel()
	tests := []struct{ mechanism, expr string }{
		{"can of a failing call", `can(tonumber(var.pw))`},
		{"can of a succeeding call", `can(regex("^S", var.pw))`},
		{"can of env()", `can(regex("^s", env("LDAP_PASSWORD")))`},
		{"can of file()", `can(regex("^s", file("secrets/ldap.txt")))`},
		{"can of a missing key", `can(var.m["zzz"])`},
		{"try falling back", `try(tonumber(var.pw), "fallback")`},
		{"try falling back past env()", `try(tonumber(env("LDAP_PASSWORD")), 0)`},
		{"try of a missing key", `try(var.m["zzz"], "")`},
		{"conditional on a marked condition", `var.pw == "S3cr3t" ? "X" : ""`},
		{"conditional on can()", `can(regex("^S", var.pw)) ? "X" : ""`},
		{"for filter", `[for c in ["a", "S"] : c if startswith(var.pw, c)]`},
		{"for filter into an object", `{for c in ["a", "S"] : c => 1 if startswith(var.pw, c)}`},
		{"for over a marked collection", `[for c in split("", var.pw) : upper(c)]`},
		{"regex", `regex("^.", var.pw)`},
		{"regexall", `length(regexall("3", var.pw))`},
		{"length", `length(var.pw)`},
		{"keys", `keys(var.m)`},
		{"equality", `var.pw == "x"`},
		{"inequality", `var.pw != "x"`},
		{"ordering", `length(var.pw) > 3`},
		{"boolean operators", `var.pw == "x" || false`},
		{"negation", `!(var.pw == "x")`},
		{"string template", `"${var.pw}"`},
		{"template directive", `"%{if var.pw == "x"}a%{endif}"`},
		{"template for", `"%{for c in split("", var.pw)}${c == "S" ? "1" : "0"}%{endfor}"`},
		{"object key", `{ (var.pw) = "v" }`},
		{"for key", `{for k in [var.pw] : k => "v"}`},
		{"object index by a marked key", `{a = "a", S = "S"}[substr(var.pw, 0, 1)]`},
		{"map index by a marked key", `tomap({a = "a", S = "S"})[substr(var.pw, 0, 1)]`},
		{"list index by a marked number", `["a", "b", "c", "d", "e", "f", "g"][length(var.pw)]`},
		{"object index inside a for", `[for c in [substr(var.pw, 0, 1)] : {a = "a", S = "S"}[c]]`},
		{"lookup", `lookup({S = "S"}, substr(var.pw, 0, 1), "?")`},
		{"contains", `contains(["S3cr3t"], var.pw)`},
		{"index", `index(["S3cr3t"], var.pw)`},
		{"element", `element(["a", "b"], length(var.pw))`},
		{"zipmap", `zipmap([var.pw], ["v"])`},
		{"format", `format("%.1s", var.pw)`},
		{"jsonencode", `jsonencode(var.pw)`},
	}
	for _, tt := range tests {
		t.Run(tt.mechanism, func(t *testing.T) {
			t.Parallel()
			got, diags := evalDerived(t, tt.expr)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", tt.expr, diags.Error())
			}
			if !got.HasMarkDeep(Sensitive) {
				t.Fatalf("%s = %#v, want it marked Sensitive", tt.expr, got)
			}
		})
	}
}

// TestDerivedValuesStayPlain: the rules do not mark what reads no secret,
// nor a plain part of a value that holds a secret elsewhere.
func TestDerivedValuesStayPlain(t *testing.T) {
	t.Parallel()
	tests := []string{
		`can(regex("^p", var.plain))`,
		`try(tonumber(var.plain), "fallback")`,
		`{a = "a", p = "p"}[substr(var.plain, 0, 1)]`,
		`var.plain == "plain" ? "X" : ""`,
		`{ (var.plain) = "v" }`,
	}
	for _, expr := range tests {
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			got, diags := evalDerived(t, expr)
			if diags.HasErrors() {
				t.Fatalf("%s: %s", expr, diags.Error())
			}
			if got.ContainsMarked() {
				t.Fatalf("%s = %#v, want no marks", expr, got)
			}
		})
	}
	t.Run("only the marked value of an object", func(t *testing.T) {
		t.Parallel()
		got, _ := evalDerived(t, `{ A = var.pw, B = "b" }`)
		if got.IsMarked() || got.GetAttr("B").IsMarked() || !got.GetAttr("A").IsMarked() {
			t.Fatalf("got %#v, want only A marked", got)
		}
	})
	t.Run("only the item that indexes by a secret", func(t *testing.T) {
		t.Parallel()
		got, _ := evalDerived(t, `{ A = {a = "a", S = "S"}[substr(var.pw, 0, 1)], B = {b = "b"}[var.plain == "" ? "x" : "b"] }`)
		if got.IsMarked() || got.GetAttr("B").IsMarked() || !got.GetAttr("A").IsMarked() {
			t.Fatalf("got %#v, want only A marked", got)
		}
	})
}

// TestDerivedErrorsHideTheValue: an error about an expression that reads a
// secret does not quote it, even where hcl would (a duplicate for key) or
// where try() lists the errors of its arguments.
func TestDerivedErrorsHideTheValue(t *testing.T) {
	t.Parallel()
	tests := []string{
		`{for x in [var.pw, var.pw] : x => 1}`,
		`{for x in [env("LDAP_PASSWORD"), env("LDAP_PASSWORD")] : x => 1}`,
		`try(tonumber(var.pw), {for x in [var.pw, var.pw] : x => 1})`,
		`try(tobool(env("LDAP_PASSWORD")))`,
	}
	for _, expr := range tests {
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			_, diags := evalDerived(t, expr)
			if !diags.HasErrors() {
				t.Fatal("want an error")
			}
			for _, secret := range []string{"S3cr3t", "s3cret"} {
				if strings.Contains(diags.Error(), secret) {
					t.Fatalf("the error reveals the value: %s", diags.Error())
				}
			}
			if !strings.Contains(diags.Error(), "sensitive value") {
				t.Fatalf("the error %q does not say why details are hidden", diags.Error())
			}
		})
	}
}
