package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/syncline/syncline/internal/scenario"
)

// lexedMaxNesting is the deepest nesting nestingOf sees in src, from the
// lexer's tokens, and whether nestingOf accepts src.
func lexedMaxNesting(src []byte) (int, bool) {
	tokens, _ := hclsyntax.LexConfig(src, "x.hcl", hcl.InitialPos)
	n := newNestingCounter()
	deepest := 0
	for i, tok := range tokens {
		if tok.Type == hclsyntax.TokenIdent {
			n.stack = directive(n.stack, tokens, i)
		}
		deepest = max(deepest, n.step(tok.Type))
	}
	return deepest, nestingOf(tokens) == nil
}

// checkQuickNesting fails when quickMaxNesting decides src and its answer
// differs from the lexer's.
func checkQuickNesting(t *testing.T, src []byte) bool {
	t.Helper()
	quick, ok := quickMaxNesting(src, 1<<30)
	if !ok {
		return false
	}
	lexed, accepted := lexedMaxNesting(src)
	if quick != lexed {
		t.Fatalf("quickMaxNesting = %d, the lexer's tokens nest %d deep, in %q", quick, lexed, src)
	}
	if accepted != (quick <= MaxNestingDepth) {
		t.Fatalf("quickMaxNesting = %d, nestingOf accepts: %v, in %q", quick, accepted, src)
	}
	return true
}

// quickNestingSeeds are inputs quickMaxNesting must decide like the lexer:
// what configurations hold, and the lexer's corner cases.
var quickNestingSeeds = []string{
	`a = "x${b}y" # c` + "\n",
	`a = "${"${"${x}"}"}"` + "\n",
	"a = \"$${x} %%{y} $$${z} \\\" \\\\ \\${ $\"\n",
	`a = { b = "}" } /* } { */ c = [x[0][1], (1 + 2) * -3] // x` + "\n",
	"a = b == c != d >= e <= f && g || !h ? i : j => k :: l ... 1.5 - x-y\r\nb = 1.\n",
	`a = "${ { b = "}" } }" }`,
	"a = \"line\nnext ${ x }\"\n",
	"a = \"\\\n\"",
	"}}} a = 1 {{{\n",
	`x = "unterminated ${ [ ( `,
	`a = [for k, v in m : k => v if v]`,
}

func TestQuickNestingMatchesLexer(t *testing.T) {
	for _, src := range quickNestingSeeds {
		if !checkQuickNesting(t, []byte(src)) {
			t.Errorf("quickMaxNesting cannot follow %q", src)
		}
	}
	for _, h := range hostileInputs() {
		checkQuickNesting(t, []byte(h.src))
	}
	if quickNesting([]byte(hostileInputs()[0].src)) {
		t.Error("quickNesting accepts 100,000 nested parentheses")
	}
}

// The planning scenario and the test configurations are what the quick
// path is for: it must decide them all.
func TestQuickNestingFollowsConfigurations(t *testing.T) {
	files := scenario.Files(10, 10, true)
	paths, _ := filepath.Glob("testdata/valid/*.hcl")
	more, _ := filepath.Glob("../examples/*/*.hcl")
	for _, p := range append(paths, more...) {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), "<<") && !strings.Contains(string(src), "%{") {
			files[p] = string(src)
		}
	}
	for name, src := range files {
		if !checkQuickNesting(t, []byte(src)) {
			t.Errorf("quickMaxNesting cannot follow %s", name)
		}
	}
}

func FuzzQuickNesting(f *testing.F) {
	for _, src := range quickNestingSeeds {
		f.Add([]byte(src))
	}
	for _, src := range scenario.Files(2, 2, true) {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkQuickNesting(t, src)
	})
}
