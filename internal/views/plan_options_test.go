package views

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/planner"
)

func TestRenderMarkdownTitleAndContext(t *testing.T) {
	t.Parallel()
	p := mustCompute(t, mustDesired(t, baseFiles, secretVar), nil, planner.Options{})
	var buf bytes.Buffer
	opts := MarkdownOptions{Title: "Syncline diff main..feature", Context: "Compared `main` with `feature`."}
	if err := RenderMarkdownWith(&buf, p, opts); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "### Syncline diff main..feature: 5 to add, 0 to change, 0 to remove\n\nCompared `main` with `feature`.\n\n| Action |") {
		t.Errorf("heading:\n%s", out)
	}
	if strings.Contains(out, "Planned from") {
		t.Error("the default context is still there")
	}

	same := mustCompute(t, mustDesired(t, baseFiles, secretVar), storedFrom(t, baseFiles, secretVar), planner.Options{})
	buf.Reset()
	if err := RenderMarkdownWith(&buf, same, opts); err != nil {
		t.Fatal(err)
	}
	if want := "### Syncline diff main..feature: no changes\n\nCompared `main` with `feature`.\n"; buf.String() != want {
		t.Errorf("no changes:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestRenderMarkdownShortensRevision(t *testing.T) {
	t.Parallel()
	sha := "3f9c2e1d0b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e"
	p := mustCompute(t, mustDesired(t, baseFiles, secretVar), nil, planner.Options{Revision: sha})
	var buf bytes.Buffer
	if err := RenderMarkdown(&buf, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Planned from revision `3f9c2e1` against an empty state.") {
		t.Errorf("context:\n%s", buf.String())
	}
}

// manyChanges is a plan that removes n tasks (each with a note) and
// creates n schedules.
func manyChanges(t *testing.T, n int) *planner.Plan {
	var before, after strings.Builder
	for i := range n {
		fmt.Fprintf(&before, "task \"t%04d\" {\n  activity \"exec\" {\n    command = \"run-%d.sh\"\n  }\n}\n", i, i)
		fmt.Fprintf(&after, "schedule \"s%04d\" {\n  every = \"%dm\"\n}\n", i, i+1)
	}
	stored := plantest.SnapshotOf(mustDesired(t, map[string]string{"main.hcl": before.String()}), 3)
	return mustCompute(t, mustDesired(t, map[string]string{"main.hcl": after.String()}), stored, planner.Options{})
}

var moreChanges = regexp.MustCompile(`(?m)^… (\d+) more changes?; see the full plan in the CI log\.$`)

func TestRenderMarkdownMaxLength(t *testing.T) {
	t.Parallel()
	p := manyChanges(t, 150)
	var full bytes.Buffer
	if err := RenderMarkdown(&full, p); err != nil {
		t.Fatal(err)
	}
	fullLen := utf8.RuneCount(full.Bytes())
	for _, limit := range []int{1500, 5000, 20000, 40000, fullLen - 1, fullLen, fullLen + 100, 0} {
		t.Run(strconv.Itoa(limit), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := RenderMarkdownWith(&buf, p, MarkdownOptions{MaxLength: limit}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if limit > 0 && utf8.RuneCountInString(out) > limit {
				t.Fatalf("%d characters, limit %d", utf8.RuneCountInString(out), limit)
			}
			if limit == 0 || limit >= fullLen {
				if out != full.String() {
					t.Fatal("a plan that fits was changed")
				}
				return
			}
			m := moreChanges.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no line saying what was left out:\n%s", tail(out))
			}
			details := strings.Count(out, "<details>")
			if n, _ := strconv.Atoi(m[1]); n != len(p.Changes)-details {
				t.Errorf("says %d more changes, but %d of %d are detailed", n, details, len(p.Changes))
			}
			if !strings.HasPrefix(out, "### Syncline plan: 150 to add, 0 to change, 150 to remove\n") {
				t.Error("the heading is missing")
			}
			if !strings.Contains(out, "> **Notes for reviewers:**\n> - `task.t0000`: The task will be closed") {
				t.Error("the first note is missing")
			}
		})
	}
}

func TestRenderMarkdownMaxLengthCutsNotes(t *testing.T) {
	t.Parallel()
	p := manyChanges(t, 150)
	var buf bytes.Buffer
	if err := RenderMarkdownWith(&buf, p, MarkdownOptions{MaxLength: 2000}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !regexp.MustCompile(`(?m)^> - … \d+ more notes; see the full plan in the CI log\.$`).MatchString(out) {
		t.Errorf("no line saying notes were left out:\n%s", out)
	}
	if strings.Contains(out, "| Action |") || strings.Contains(out, "<details>") {
		t.Error("table or details shown although the notes did not fit")
	}
	if m := moreChanges.FindStringSubmatch(out); m == nil || m[1] != "300" {
		t.Errorf("footer = %v", m)
	}
}

func tail(s string) string {
	if len(s) > 600 {
		return "…" + s[len(s)-600:]
	}
	return s
}

func TestRenderTextCompared(t *testing.T) {
	t.Parallel()
	p := mustCompute(t, mustDesired(t, baseFiles, secretVar), nil, planner.Options{})
	var buf bytes.Buffer
	if err := RenderText(&buf, p, TextOptions{Compared: "main (3f9c2e1) with feature (8a1d0b4)"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "Syncline compared main (3f9c2e1) with feature (8a1d0b4).\nActions are shown with these symbols:\n") ||
		!strings.Contains(out, "The definitions change as follows:") {
		t.Errorf("text:\n%s", out)
	}
	same := mustCompute(t, mustDesired(t, baseFiles, secretVar), storedFrom(t, baseFiles, secretVar), planner.Options{})
	buf.Reset()
	if err := RenderText(&buf, same, TextOptions{Compared: "main with feature"}); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "No changes. Syncline compared main with feature.\n" {
		t.Errorf("no changes: %q", buf.String())
	}
}
