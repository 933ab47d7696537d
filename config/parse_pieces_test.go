package config

import (
	"os"
	"path/filepath"
	"reflect"
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
		file, bodies, diags := parseInPieces([]byte(src), name)
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
	_, _, diags := parseInPieces([]byte(src), "x.hcl")
	_, wholeDiags := parseChecked([]byte(src), "x.hcl")
	if !diags.HasErrors() || !reflect.DeepEqual(diags, wholeDiags) {
		t.Errorf("diagnostics %v, want the whole file's %v", diags, wholeDiags)
	}
}
