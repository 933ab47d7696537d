package views

import (
	"bytes"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/planner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// renderers renders a plan in every human view; the JSON encoding has its
// golden files in planner/testdata.
var renderers = map[string]func(*bytes.Buffer, *planner.Plan) error{
	"txt": func(b *bytes.Buffer, p *planner.Plan) error { return RenderText(b, p, TextOptions{}) },
	"color.txt": func(b *bytes.Buffer, p *planner.Plan) error {
		return RenderText(b, p, TextOptions{Color: Color{On: true}})
	},
	"md": func(b *bytes.Buffer, p *planner.Plan) error { return RenderMarkdown(b, p) },
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	for _, s := range plantest.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			p := scenarioPlan(t, s)
			for ext, render := range renderers {
				if ext == "color.txt" && s.Name != "update" {
					continue
				}
				var buf bytes.Buffer
				if err := render(&buf, p); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(buf.String(), plantest.Secret) {
					t.Errorf("the %s view holds the secret", ext)
				}
				if (ext == "color.txt") != strings.Contains(buf.String(), "\x1b[") {
					t.Errorf("the %s view has colour: %v", ext, ext == "color.txt")
				}
				checkGolden(t, filepath.Join("testdata", s.Name+"."+ext+".golden"), buf.Bytes())
			}
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	plantest.CheckGolden(t, path, got, *update, "go test ./internal/views -run TestRenderGolden -update")
}

// TestRenderTextOfDecodedPlan: a plan read back from its JSON encoding (a
// saved plan file) shows exactly as the plan did.
func TestRenderTextOfDecodedPlan(t *testing.T) {
	t.Parallel()
	p := scenarioPlan(t, plantest.ScenarioNamed("update"))
	var buf bytes.Buffer
	if err := planner.RenderJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	back, err := planner.DecodeJSON(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var text1, text2 bytes.Buffer
	_ = RenderText(&text1, p, TextOptions{})
	_ = RenderText(&text2, back, TextOptions{})
	if text1.String() != text2.String() {
		t.Errorf("the text view of a plan read back from JSON differs:\n%s\n---\n%s", text1.String(), text2.String())
	}
}
