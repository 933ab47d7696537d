package synchronization

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/zclconf/go-cty/cty"
)

// A simple form answers what hcl answers, or leaves the answer to hcl.
func TestSimpleFormsAnswerAsHCL(t *testing.T) {
	t.Parallel()
	exprs := []string{
		`attributes.login`,
		`lower(attributes.login)`,
		`upper(attributes.login)`,
		`attributes.state == "terminated" ? "disabled" : "active"`,
		`attributes.state != "terminated" ? attributes.login : attributes.mail`,
		`"${attributes.first}.${attributes.last}"`,
		`"${attributes.login}"`,
		`lower("${attributes.first}.${attributes.last}@example.com")`,
		`(attributes.login)`,
		`attributes.state == "x" ? true : false`,
		`attributes.state == "x" ? "yes" : false`,
	}
	objects := []connector.Attributes{
		{"login": {"JNovák"}, "state": {"terminated"}, "first": {"Jiří"}, "last": {"Novák"}, "mail": {"j@x"}},
		{"login": {"AB"}, "state": {"active"}, "first": {""}, "last": {"x"}},
		{"login": {"e\u0301"}, "state": {"x"}, "first": {"a", "b"}},
		{"state": {"a", "b"}},
		{},
		{"login": {strings.Repeat("a", config.MaxValueBytes+1)}},
	}
	funcs := config.NewFunctionTable(nil, nil)
	answered := 0
	for _, src := range exprs {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "m.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		simple := compileSimple(expr)
		if simple == nil {
			t.Errorf("%s: no simple form", src)
			continue
		}
		names := referencedNames(config.RootAttributes, expr)
		for _, attrs := range objects {
			got, known := simple(&simpleSource{attrs: attrs})
			if !known {
				continue
			}
			answered++
			ctx := &hcl.EvalContext{Functions: funcs, Variables: map[string]cty.Value{config.RootAttributes: objectValue(attrs, names)}}
			want, diags := config.Evaluate(expr, ctx)
			if diags.HasErrors() {
				t.Errorf("%s over %v: simple %+v, hcl fails: %s", src, attrs, got, diags)
				continue
			}
			if !sameSimple(got, want) {
				t.Errorf("%s over %v: simple %+v, hcl %#v", src, attrs, got, want)
			}
		}
	}
	if answered < len(exprs) {
		t.Errorf("only %d answers", answered)
	}
}

func sameSimple(got simpleValue, want cty.Value) bool {
	switch got.kind {
	case simpleNull:
		return want.IsNull() && want.Type() == cty.String
	case simpleString:
		return want.Type() == cty.String && !want.IsNull() && want.AsString() == got.s
	}
	return want.Type() == cty.Bool && !want.IsNull() && want.True() == got.b
}

// Expressions a simple form does not cover have none.
func TestNoSimpleForm(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		`shadow.identifier`, `attributes["login"]`, `attributes.login[0]`, `trimspace(attributes.login)`,
		`lower(attributes.login...)`, `attributes.a < attributes.b`, `[for v in attributes.x : v]`, `var.x`,
		`attributes.state == "x" ? null : "no"`,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "m.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if compileSimple(expr) != nil {
			t.Errorf("%s has a simple form", src)
		}
	}
}
