package config

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// hostileInput is a configuration written to exhaust the loader, and the
// diagnostic that must refuse it ("" when it must simply load quickly).
type hostileInput struct {
	name, src, summary, detail string
}

// bigLocal is a local value of almost MaxValueBytes.
const bigLocal = `locals { big = format("%1000000s", "") }
`

// hostileInputs are the table of limits_test.go and seeds of FuzzLoad.
func hostileInputs() []hostileInput {
	var doubling strings.Builder
	doubling.WriteString("locals {\n  a0 = \"ab\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&doubling, "  a%d = \"${local.a%d}${local.a%d}\"\n", i, i-1, i-1)
	}
	doubling.WriteString("}\n")
	var manyLocals strings.Builder
	manyLocals.WriteString("locals {\n")
	for i := range 100_000 {
		fmt.Fprintf(&manyLocals, "  l%d = %d\n", i, i)
	}
	manyLocals.WriteString("}\n")
	var chain strings.Builder
	chain.WriteString("locals {\n  c0 = [1]\n")
	for i := 1; i <= 500; i++ {
		fmt.Fprintf(&chain, "  c%d = [local.c%d]\n", i, i-1)
	}
	chain.WriteString("}\n")
	manyParts := `locals { t = "` + strings.Repeat("${local.big}", 100) + `" }` + "\n" + bigLocal
	return []hostileInput{
		{"nested parentheses", "locals { a = " + strings.Repeat("(", 100_000) + "1" + strings.Repeat(")", 100_000) + " }\n", "Nesting too deep", "MaxNestingDepth"},
		{"doubling locals", doubling.String(), "Value too large", "MaxValueBytes"},
		{"setproduct", `locals { p = setproduct(range(1024), range(1024), range(1024)) }`, "Error in function call", "MaxValueElements"},
		{"nested blocks", strings.Repeat("task \"t\" {\n", 2000) + strings.Repeat("}\n", 2000), "Nesting too deep", "MaxNestingDepth"},
		{"nested brackets", "locals { a = " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + " }\n", "Nesting too deep", ""},
		{"nested templates", "locals { a = " + strings.Repeat(`"${`, 50_000) + "1" + strings.Repeat(`}"`, 50_000) + " }\n", "Nesting too deep", ""},
		{"nested directives", `locals { a = "` + strings.Repeat("%{ if true }", 5000) + strings.Repeat("%{ endif }", 5000) + `" }` + "\n", "Nesting too deep", ""},
		{"unary chain", "locals { a = " + strings.Repeat("!", 100_000) + "true }\n", "Nesting too deep", ""},
		{"operator chain over lines", "locals { a = (1" + strings.Repeat("+\n1", 100_000) + ") }\n", "Nesting too deep", ""},
		{"conditional chain", "locals { a = " + strings.Repeat("true ? 1 : ", 50_000) + "0 }\n", "Nesting too deep", ""},
		{"index chain", "locals {\n  i = 0\n  a = [1]" + strings.Repeat("[local.i]", 100_000) + "\n}\n", "Nesting too deep", ""},
		{"huge exponent", `locals { a = "${1e999999999}" }`, "Number too large", "MaxValueBytes"},
		{"nested for", `locals { a = [for i in range(1024): [for j in range(1024): [for k in range(1024): k]]] }`, "Evaluation limit exceeded", "MaxLoadWork"},
		{"nested for with filter", `locals { a = [for i in range(1024): [for j in range(1024): [for k in range(1024): k if false]]] }`, "Evaluation limit exceeded", "MaxLoadWork"},
		{"range of 100000", `locals { a = [for i in range(100000): [for j in range(100000): j]] }`, "Error in function call", "1024"},
		{"template for directive", bigLocal + `locals { a = "%{for i in range(1024)}%{for j in range(1024)}${local.big}%{endfor}%{endfor}" }`, "Evaluation limit exceeded", "MaxLoadWork"},
		{"many template parts", manyParts, "Evaluation limit exceeded", "MaxLoadWork"},
		{"format padding", `locals { a = format("%999999999s", "x") }`, "Error in function call", "MaxValueBytes"},
		{"formatlist padding", `locals { a = formatlist("%100000s", range(1000)) }`, "Error in function call", "MaxValueBytes"},
		{"formatlist repeats a scalar", bigLocal + `locals { a = formatlist("%s%s", range(1000), local.big) }`, "Error in function call", "MaxValueBytes"},
		{"join", bigLocal + `locals { a = join("", [for i in range(1000): local.big]) }`, "Evaluation limit exceeded", ""},
		{"join with a long separator", bigLocal + `locals { a = join(local.big, range(1000)) }`, "Error in function call", "MaxValueBytes"},
		{"replace", bigLocal + `locals { a = replace(local.big, " ", "xxxxxxxx") }`, "Error in function call", "MaxValueBytes"},
		{"regex replace", bigLocal + `locals { a = replace(local.big, "/ /", "xxxxxxxx") }`, "Error in function call", "MaxValueBytes"},
		{"indent", `locals { a = indent(999999999, "a\nb") }`, "Error in function call", "MaxValueBytes"},
		{"split into runes", bigLocal + `locals { a = split("", local.big) }`, "Error in function call", "MaxValueElements"},
		{"regexall with groups", bigLocal + `locals { a = regexall("()()()()", local.big) }`, "Error in function call", "MaxValueElements"},
		{"catastrophic regex", bigLocal + `locals { a = regexall("(a*)*b", local.big) }`, "", ""},
		{"jsonencode", bigLocal + `locals { a = jsonencode([for i in range(1000): local.big]) }`, "Evaluation limit exceeded", ""},
		{"concat of references", bigLocal + "locals {\n l = [for i in range(1000): i]\n a = concat(" + strings.Repeat("local.l, ", 1_000) + ")\n}\n", "Error in function call", "MaxValueElements"},
		{"deep value through locals", chain.String(), "Value too large", "MaxNestingDepth"},
		{"many attributes", manyLocals.String(), "", ""},
		{"long line", `locals { a = "` + strings.Repeat("x", 3<<20) + `" }`, "Value too large", "MaxValueBytes"},
		{"huge heredoc", "locals {\n  a = <<EOT\n" + strings.Repeat("line of text\n", 100) + strings.Repeat("x", 2<<20) + "\n" + "EOT\n}\n", "Value too large", "MaxValueBytes"},
		{"too many bytes", "locals {\n" + strings.Repeat("  # a comment line\n", 300_000) + "}\n", "Configuration too large", "MaxConfigBytes"},
		{"descriptions", `locals { half = format("%500000s", "") }` + "\n" + strings.Repeat(`task "t" { description = "${local.half}${local.half}" }`+"\n", 1000), "Evaluation limit exceeded", "MaxLoadWork"},
	}
}

// TestHostileInputsAreRefused: each hostile input ends in its limit's
// diagnostic, with a file and line. How long loading takes is not asserted
// here (a timed unit test flakes on a loaded machine); a runaway would
// show as the test binary's timeout.
func TestHostileInputsAreRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range hostileInputs() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{"main.hcl": {Data: []byte(tc.src)}}
			cfg, diags := LoadFS(fsys, "", LoadOptions{AllowUnsetVariables: true})
			if cfg == nil {
				t.Fatal("nil Config")
			}
			if tc.summary == "" {
				for _, d := range diags {
					if strings.Contains(d.Detail, "Max") {
						t.Errorf("unexpected limit diagnostic: %s", d.Error())
					}
				}
				return
			}
			for _, d := range diags {
				if d.Summary == tc.summary && strings.Contains(d.Detail, tc.detail) {
					if d.Subject == nil || d.Subject.Filename != "main.hcl" || d.Subject.Start.Line < 1 {
						t.Errorf("diagnostic without a file and line: %s", d.Error())
					}
					return
				}
			}
			t.Errorf("no %q diagnostic naming %q; got %d: %s", tc.summary, tc.detail, len(diags), firstDiags(diags))
		})
	}
}

func firstDiags(diags interface{ Error() string }) string {
	s := diags.Error()
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}
