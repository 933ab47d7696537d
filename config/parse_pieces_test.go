package config

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/syncline/syncline/internal/scenario"
)

// Parsed in pieces, a file's blocks are exactly those of the whole file:
// the same syntax trees with the same ranges.
func TestParseInPiecesEqualsWholeFile(t *testing.T) {
	t.Parallel()
	files := scenario.Files(200, 1000, true)
	paths, _ := filepath.Glob("../examples/*/*.hcl")
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = strings.Repeat(string(src), 20) // big enough to be cut
	}
	cut := 0
	for name, src := range files {
		file, bodies, diags := parseInPieces([]byte(src), name, nil)
		whole, wholeDiags := parseChecked([]byte(src), name)
		if len(bodies) > 1 {
			cut++
		}
		got, gotDiags := collectBlocks(bodies)
		want, wantDiags := collectBlocks([]hcl.Body{whole.Body})
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(append(diags, gotDiags...), append(wholeDiags, wantDiags...)) {
			t.Errorf("%s: the pieces' blocks differ from the whole file's", name)
		}
		if string(file.Bytes) != src {
			t.Errorf("%s: the file's bytes are not its source", name)
		}
	}
	if cut < len(files)/2 {
		t.Errorf("only %d of %d files were cut into pieces", cut, len(files))
	}
}

// A piece that does not parse has the whole file parsed, so that the
// diagnostics are the same as without pieces.
func TestParseInPiecesErrorsAreTheWholeFiles(t *testing.T) {
	t.Parallel()
	src := strings.Repeat("task \"a\" {\n  priority = 1\n}\n", 1000) + "task \"b\" {\n  priority = \n}\n" +
		strings.Repeat("schedule \"s\" {\n  every = \"1m\"\n}\n", 1000) + "top = 1\n"
	_, _, diags := parseInPieces([]byte(src), "x.hcl", nil)
	_, wholeDiags := parseChecked([]byte(src), "x.hcl")
	if !diags.HasErrors() || !reflect.DeepEqual(diags, wholeDiags) {
		t.Errorf("diagnostics %v, want the whole file's %v", diags, wholeDiags)
	}
}

// Lines that repeat an argument line parsed before are copied, not parsed
// (parse_lines.go), and the blocks are still exactly the whole file's:
// the same trees with the same ranges, whatever surrounds the lines —
// objects and calls over several lines, comments, other indentation, tabs,
// CRLF line ends — and the same diagnostics when a copy would hide one.
func TestRepeatedLinesParseAsTheWholeFile(t *testing.T) {
	t.Parallel()
	files := scenario.Files(50, 500, true)
	tricky := "task \"x\" {\n  priority = 50\n  settings = {\n    priority = 50\n  }\n" +
		"  options = {\n    attempts = 3\n  }\n  labels = merge(\n    {a = 1},\n    {b = 2}\n  )\n" +
		"  /* a comment\n  attempts = 3\n  */\n" +
		"  retry {\n\tattempts = 3\n      max_delay = \"1m\" # why\n  }\n" +
		"  activity \"import\" {\n    filter = [for x in attributes.a : x if x != \"\"]\n" +
		"    resource = resource.r0\n  }\n  retry { attempts = 3 }\n" +
		"  activity \"import\" {\n    resource = resource.r0\n  }\n  # a comment\n" +
		"  activity \"import\" {\n    resource = resource.r0\n  }\n}\n\n"
	files["tricky.hcl"] = strings.Repeat(tricky, 40)
	files["crlf.hcl"] = strings.ReplaceAll(strings.Repeat(tricky, 40), "\n", "\r\n")
	files["labels.hcl"] = strings.Repeat("resource \"r\" {\n  connector = \"csv\"\n  x = a.b[0].c\n  y = !true\n  z = -1 + (2 * 3)\n"+
		"  w = \"${var.a}-${local.b}\"\n  v = {\"k\" = [1, 2], (local.k) = null}\n  u = x ? y : z\n  t = f(a...)\n  s = a[*].b\n}\n", 60)
	files["indent.hcl"] = strings.Repeat("task \"a\" {\n  retry {\n    attempts = 3\n  }\n"+
		"  activity \"x\" {\n      retry {\n    attempts = 3\n  }\n  }\n}\n", 100)
	templates := newLineTemplates()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		src := files[name]
		_, bodies, diags := parseInPieces([]byte(src), name, templates)
		whole, wholeDiags := parseChecked([]byte(src), name)
		got, gotDiags := collectBlocks(bodies)
		want, wantDiags := collectBlocks([]hcl.Body{whole.Body})
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(append(diags, gotDiags...), append(wholeDiags, wantDiags...)) {
			t.Errorf("%s: the blocks with copied lines differ from the whole file's", name)
		}
	}
	if n, blocks := templates.grafted.Load(), templates.graftedBlocks.Load(); n < 3000 || blocks < 500 {
		t.Errorf("%d lines copied, %d blocks among them; want most of the repeated ones", n, blocks)
	}
}

// A copied line beside an argument of the same name, or outside any
// block, leaves the piece to the parser, which reports what it finds.
func TestRepeatedLinesKeepDiagnostics(t *testing.T) {
	t.Parallel()
	templates := newLineTemplates()
	ok := strings.Repeat("task \"a\" {\n  priority = 1\n}\n", 500)
	if _, _, diags := parseInPieces([]byte(ok), "ok.hcl", templates); diags.HasErrors() {
		t.Fatal(diags)
	}
	for name, src := range map[string]string{
		"dup.hcl": ok + "task \"b\" {\n  priority = 1\n  priority = 1\n}\n" + ok,
		"top.hcl": ok + "priority = 1\n" + ok,
	} {
		_, _, diags := parseInPieces([]byte(src), name, templates)
		_, wholeDiags := parseChecked([]byte(src), name)
		if !reflect.DeepEqual(diags, wholeDiags) {
			t.Errorf("%s: diagnostics %v, want the whole file's %v", name, diags, wholeDiags)
		}
	}
	if templates.grafted.Load() == 0 {
		t.Error("no line was copied")
	}
}

// FuzzRepeatedLines: whatever a file holds, repeated so that its lines
// repeat and cut into pieces, the blocks and diagnostics with copied lines
// are the whole file's.
func FuzzRepeatedLines(f *testing.F) {
	f.Add("task \"a\" {\n  priority = 50\n  retry {\n    attempts = 3\n  }\n}\n")
	f.Add("task \"x\" {\n  options = {\n    attempts = 3\n  }\n  attempts = 3\n  /* c\n  attempts = 3\n  */\n}\n")
	f.Add("resource \"r\" {\n  x = a.b[0].c\n  y = !true ? -1 : (2 * 3)\n  w = \"${var.a}-x\"\n  v = {\"k\" = [1, 2]}\n}\n")
	f.Add("a {\n\tb = 1\r\n  c {\r\n d = f(x...)\r\n }\r\n}\r\n")
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 2048 {
			return
		}
		file := []byte(strings.Repeat(src+"\n", 4096/(len(src)+1)+3))
		_, bodies, diags := parseInPieces(file, "f.hcl", newLineTemplates())
		whole, wholeDiags := parseChecked(file, "f.hcl")
		if whole == nil || len(wholeDiags) > 0 {
			if !reflect.DeepEqual(diags, wholeDiags) {
				t.Fatalf("diagnostics %v, want the whole file's %v", diags, wholeDiags)
			}
			return
		}
		got, gotDiags := collectBlocks(bodies)
		want, wantDiags := collectBlocks([]hcl.Body{whole.Body})
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(append(diags, gotDiags...), append(wholeDiags, wantDiags...)) {
			t.Fatalf("the blocks with copied lines differ from the whole file's")
		}
	})
}
