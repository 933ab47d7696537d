package config

import (
	"cmp"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/syncline/syncline/internal/scenario"
)

// bodyContent answers what Content answers, content and diagnostics, for
// every body of the scenario and of the examples and fixtures against
// every schema of loading — the bodies that fit their schema and those
// that do not — and for a body PartialContent left, hiding what it took.
func TestBodyContentIsContent(t *testing.T) {
	t.Parallel()
	files := scenario.Files(20, 100, true)
	for _, pattern := range []string{"../examples/*/*.hcl", "testdata/*/*.hcl", "testdata/*.hcl"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files[p] = string(src)
		}
	}
	files["odd.hcl"] = "task \"a\" \"b\" {\n  retry \"x\" {}\n  priority = 1\n  nope = 2\n  activity {}\n  bogus {}\n}\n" +
		"resource {\n  connector = \"csv\"\n}\ntask \"c\" {\n  retry {\n    attempts = 1\n    attempts_typo = 2\n  }\n}\n"
	schemas := []*hcl.BodySchema{rootSchema, taskSchema, retrySchema, resourceSchema, objectTypeSchema, reactionsSchema, scheduleSchema}
	fits, bodies := 0, 0
	for name, src := range files {
		file, _ := hclsyntax.ParseConfig([]byte(src), name, hcl.InitialPos)
		for _, body := range syntaxBodies(file.Body.(*hclsyntax.Body)) {
			bodies++
			for _, schema := range schemas {
				if fitsSchema(body, schema) {
					fits++
				}
				compareContent(t, name, body, schema)
				_, remain, _ := body.PartialContent(&hcl.BodySchema{Attributes: schema.Attributes[:len(schema.Attributes)/2]})
				compareContent(t, name+" (remain)", remain, schema)
			}
		}
	}
	if fits < bodies/2 {
		t.Errorf("%d of %d bodies fit a schema; the test should try the quick path more", fits, bodies)
	}
}

func compareContent(t *testing.T, name string, body hcl.Body, schema *hcl.BodySchema) {
	t.Helper()
	got, gotDiags := bodyContent(body, schema)
	want, wantDiags := body.Content(schema)
	// Content reports unsupported arguments in the order of a map.
	for _, diags := range []hcl.Diagnostics{gotDiags, wantDiags} {
		slices.SortFunc(diags, func(a, b *hcl.Diagnostic) int {
			return cmp.Or(cmp.Compare(a.Subject.Start.Byte, b.Subject.Start.Byte), strings.Compare(a.Detail, b.Detail))
		})
	}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotDiags, wantDiags) {
		t.Errorf("%s: bodyContent gives %v, %v; Content %v, %v", name, got, gotDiags, want, wantDiags)
	}
}

// syntaxBodies is body and the bodies of all its blocks, at any depth.
func syntaxBodies(body *hclsyntax.Body) []*hclsyntax.Body {
	out := []*hclsyntax.Body{body}
	for _, b := range body.Blocks {
		out = append(out, syntaxBodies(b.Body)...)
	}
	return out
}
