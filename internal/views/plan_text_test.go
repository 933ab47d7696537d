package views

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

func TestRenderMultilineExpression(t *testing.T) {
	t.Parallel()
	files := plantest.Edit(t, baseFiles, "resources.hcl", `status = attributes.state=="terminated" ? "disabled" : "active"`, `status = (
        attributes.state == "terminated"
        ? "disabled"
        : "active"
      )`)
	p := mustCompute(t, mustDesired(t, files, secretVar), storedFrom(t, baseFiles, secretVar), planner.Options{})
	var text, md strings.Builder
	if err := RenderText(&text, p, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := RenderMarkdown(&md, p); err != nil {
		t.Fatal(err)
	}
	// Continuation lines line up under the value, two columns in for the
	// expression's own indentation (text), and keep the diff marker
	// (Markdown).
	path := "object_type.account/default.inbound.status"
	textIndent := len("      ~ "+path+" = ") + 2
	if want := "\n" + strings.Repeat(" ", textIndent) + `attributes.state == "terminated"` + "\n"; !strings.Contains(text.String(), want) {
		t.Errorf("text view:\n%s", text.String())
	}
	mdIndent := len("+ "+path+" = ") - 1 + 2
	if want := "\n+" + strings.Repeat(" ", mdIndent) + `attributes.state == "terminated"` + "\n"; !strings.Contains(md.String(), want) {
		t.Errorf("markdown view:\n%s", md.String())
	}
}

// TestRenderDrift: both human views name a task suspended at run time, who
// suspended it, why, and how to resume it.
func TestRenderDrift(t *testing.T) {
	t.Parallel()
	desired := map[string]*state.Definition{
		"task.on": {Kind: "task", Name: "on", Spec: map[string]string{"enabled": "true"}, Hash: "a"},
	}
	since := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	runtime := []state.TaskRuntime{{Task: "on", State: state.TaskSuspended, By: "alice", Reason: "HR freeze", Since: since}}
	p, err := planner.Compute(desired, &state.Snapshot{}, planner.Options{Now: since, Runtime: runtime})
	if err != nil {
		t.Fatal(err)
	}
	for name, render := range map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return RenderText(b, p, TextOptions{}) },
		"markdown": func(b *bytes.Buffer) error { return RenderMarkdown(b, p) },
	} {
		var b bytes.Buffer
		if err := render(&b); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"task.on", "alice", "HR freeze", "syncline tasks resume on"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s view does not mention %q:\n%s", name, want, b.String())
			}
		}
	}
}
