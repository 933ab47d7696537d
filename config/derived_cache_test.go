package config

import (
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// BenchmarkEvaluateMapping compares Evaluate with hcl's own Value on a
// typical per-object mapping: Evaluate runs once per mapping per object
// during import and reconciliation.
func BenchmarkEvaluateMapping(b *testing.B) {
	expr, diags := hclsyntax.ParseExpression([]byte(`attributes.state == "terminated" ? "disabled" : lower("${attributes.first}.${attributes.last}")`), "m.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"attributes": cty.ObjectVal(map[string]cty.Value{
			"state": cty.StringVal("active"), "first": cty.StringVal("Ada"), "last": cty.StringVal("Lovelace")})},
		Functions: NewFunctionTable(nil, nil),
	}
	b.Run("hcl", func(b *testing.B) {
		for b.Loop() {
			_, _ = expr.Value(ctx)
		}
	})
	b.Run("Evaluate", func(b *testing.B) {
		for b.Loop() {
			_, _ = Evaluate(expr, ctx)
		}
	})
}

// TestComputedKeyCacheIsBounded: the cache of indexesByComputedKey starts
// afresh when full, and answers the same as a walk.
func TestComputedKeyCacheIsBounded(t *testing.T) {
	for i := range int(computedKeyCache.max) + 10 {
		src := `m[k]`
		if i%2 == 0 {
			src = `m.k`
		}
		expr, diags := hclsyntax.ParseExpression([]byte(src), "m.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if got, want := indexesByComputedKey(expr), i%2 == 1; got != want {
			t.Fatalf("%s: %v, want %v", src, got, want)
		}
		if got := indexesByComputedKey(expr); got != (i%2 == 1) {
			t.Fatalf("%s, asked again: %v", src, got)
		}
	}
	n := 0
	computedKeyCache.flags.Range(func(any, any) bool { n++; return true })
	if int64(n) > computedKeyCache.max {
		t.Errorf("the cache holds %d entries, more than %d", n, computedKeyCache.max)
	}
}

// BenchmarkEvaluateLoadedMappings evaluates the mappings of a loaded
// configuration — rewritten by the loader with its limit checks — as an
// import does for every object.
func BenchmarkEvaluateLoadedMappings(b *testing.B) {
	src := `
resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "id"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.id
    }
    inbound {
      name        = lower(attributes.login)
      given_name  = attributes.first
      full_name   = "${attributes.first} ${attributes.last}"
      status      = attributes.state == "terminated" ? "disabled" : "active"
      email       = lower("${attributes.first}.${attributes.last}@example.com")
    }
  }
}
`
	cfg, diags := LoadFS(fstest.MapFS{"main.hcl": {Data: []byte(src)}}, "cfg", LoadOptions{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	ot := cfg.Resources["hr"].ObjectTypes[0]
	ctx := cfg.EvalContext(map[string]cty.Value{"attributes": cty.ObjectVal(map[string]cty.Value{
		"id": cty.StringVal("e1"), "login": cty.StringVal("ADA"), "first": cty.StringVal("Ada"),
		"last": cty.StringVal("Lovelace"), "state": cty.StringVal("active")})})
	for b.Loop() {
		for _, m := range ot.Inbound {
			if _, diags := Evaluate(m.Expr, ctx); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	}
}
