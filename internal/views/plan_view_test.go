package views

import (
	"bytes"
	"strings"
	"testing"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/plantest"
)

func TestParseViewType(t *testing.T) {
	t.Parallel()
	for format, want := range map[string]ViewType{"text": Text, "": Text, "json": JSON, "markdown": Markdown} {
		if got, err := ParseViewType(format); err != nil || got != want {
			t.Errorf("ParseViewType(%q) = %q, %v", format, got, err)
		}
	}
	if _, err := ParseViewType("yaml"); err == nil || err.Error() != `-format must be text, json or markdown, not "yaml"` {
		t.Errorf("yaml: %v", err)
	}
}

// TestPlanViews: each view writes the plan on stdout and only the text
// view adds the revision line and the saved-plan hint; the note that a
// store was created goes to stderr unless the view is text.
func TestPlanViews(t *testing.T) {
	t.Parallel()
	p := scenarioPlan(t, plantest.ScenarioNamed("create"))
	rev := &config.Revision{Commit: "3f9c2e1d", Short: "3f9c2e1", Ref: "main", Author: "Alice", Message: "Add"}
	for _, tt := range []struct {
		t          ViewType
		start      string
		chatter    bool // revision line and saved hint on stdout
		initStdout bool
	}{
		{Text, "Revision 3f9c2e1 (main) \"Add\" by Alice.\n\nSyncline compared", true, true},
		{JSON, "{\n  \"format_version\": \"2\"", false, false},
		{Markdown, "### Syncline plan: 5 to add", false, false},
	} {
		var out, errOut bytes.Buffer
		v := NewPlan(tt.t, Streams{Stdout: &out, Stderr: &errOut}, PlanOptions{})
		v.Revision(rev)
		if err := v.Plan(p); err != nil {
			t.Fatal(err)
		}
		v.Saved("plan.out")
		v.StoreInitialized("state.db", "lineage-1")
		if !strings.HasPrefix(out.String(), tt.start) {
			t.Errorf("%s view starts:\n%.80s", tt.t, out.String())
		}
		if got := strings.Contains(out.String(), "syncline apply plan.out"); got != tt.chatter {
			t.Errorf("%s view has the saved hint: %v", tt.t, got)
		}
		initIn := &errOut
		if tt.initStdout {
			initIn = &out
		}
		if !strings.Contains(initIn.String(), "Initialized the state store state.db (lineage lineage-1)") {
			t.Errorf("%s view: the store note is not where expected", tt.t)
		}
	}
}

func TestPlanViewsDiff(t *testing.T) {
	t.Parallel()
	p := scenarioPlan(t, plantest.ScenarioNamed("create"))
	base := DiffSide{Ref: "main", Short: "3f9c2e1", Empty: true}
	head := DiffSide{Ref: "feat_x", Short: "8a1d0b4"}
	var text, md bytes.Buffer
	if err := NewPlan(Text, Streams{Stdout: &text}, PlanOptions{}).Diff(p, base, head); err != nil {
		t.Fatal(err)
	}
	if want := "Syncline compared main (3f9c2e1, no configuration) with feat_x (8a1d0b4).\n"; !strings.HasPrefix(text.String(), want) {
		t.Errorf("text:\n%.120s", text.String())
	}
	if err := NewPlan(Markdown, Streams{Stdout: &md}, PlanOptions{}).Diff(p, base, head); err != nil {
		t.Fatal(err)
	}
	want := "### Syncline diff main..feat\\_x: 5 to add, 0 to change, 0 to remove\n\n" +
		"Definitions at `8a1d0b4` (feat\\_x) compared with `3f9c2e1` (main), which has no configuration yet; no state was read.\n"
	if !strings.HasPrefix(md.String(), want) {
		t.Errorf("markdown:\n%.300s", md.String())
	}
}
