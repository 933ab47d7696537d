package planner

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// RenderMarkdown writes the plan for a pull-request comment: a title with
// the summary, a table of changes, the errors and notes a reviewer must see
// in blockquotes, then each change in a collapsed <details> block holding a
// diff of its attributes and next runs.
func RenderMarkdown(w io.Writer, p *Plan) error {
	m := &markdownView{}
	if !p.HasChanges() {
		m.line("### Syncline plan: no changes")
		m.line("")
		m.line("The stored definitions match the configuration.")
	} else {
		m.line("### Syncline plan: " + summaryLine(p.Summary))
		m.line("")
		m.context(p)
		m.table(p.Changes)
	}
	m.errors(p.Errors)
	m.drift(p.Drift)
	m.notes(p.Changes)
	for _, c := range p.Changes {
		m.details(c)
	}
	_, err := io.WriteString(w, m.b.String())
	return err
}

type markdownView struct{ b strings.Builder }

func (m *markdownView) line(s string) {
	m.b.WriteString(s)
	m.b.WriteByte('\n')
}

// context says what the plan was computed from.
func (m *markdownView) context(p *Plan) {
	from := "the working directory"
	if p.Revision != "" {
		from = "revision " + code(p.Revision)
	}
	against := "an empty state"
	if p.Lineage != "" {
		against = fmt.Sprintf("state serial %d", p.Serial)
	}
	m.line(fmt.Sprintf("Planned from %s against %s.", from, against))
	m.line("")
}

func (m *markdownView) table(changes []Change) {
	m.line("| Action | Address | Source |")
	m.line("|---|---|---|")
	for _, c := range changes {
		addr := code(c.Address)
		if c.PreviousAddress != "" {
			addr += " (from " + code(c.PreviousAddress) + ")"
		}
		m.line(fmt.Sprintf("| %s %s | %s | %s |", code(c.Action.Symbol()), c.Action, addr, code(c.Source)))
	}
	m.line("")
}

func (m *markdownView) errors(errs []string) {
	if len(errs) == 0 {
		return
	}
	m.line("> [!CAUTION]")
	m.line("> **This plan cannot be applied:**")
	for _, e := range errs {
		m.line("> - " + escapeMarkdown(e))
	}
	m.line("")
}

// notes gathers every change's notes into one blockquote, so a reviewer
// sees them without opening the details.
func (m *markdownView) notes(changes []Change) {
	var lines []string
	for _, c := range changes {
		for _, n := range c.Notes {
			lines = append(lines, "> - "+code(c.Address)+": "+escapeMarkdown(n))
		}
	}
	if len(lines) == 0 {
		return
	}
	m.line("> [!WARNING]")
	m.line("> **Notes for reviewers:**")
	for _, l := range lines {
		m.line(l)
	}
	m.line("")
}

func (m *markdownView) details(c Change) {
	body := diffLines(c)
	summary := "<code>" + html.EscapeString(c.Action.Symbol()) + "</code> " + html.EscapeString(headline(c))
	m.line("<details><summary>" + summary + "</summary>")
	m.line("")
	fence := fenceFor(body)
	m.line(fence + "diff")
	m.b.WriteString(body)
	m.line(fence)
	m.line("")
	m.line("</details>")
	m.line("")
}

// code renders s as inline code, with a delimiter longer than any run of
// backticks inside it.
func code(s string) string {
	if s == "" {
		return ""
	}
	delim := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return delim + s + delim
}

// fenceFor returns a code fence longer than any backtick run in body.
func fenceFor(body string) string {
	return strings.Repeat("`", max(3, longestRun(body, '`')+1))
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// escapeMarkdown keeps planner-written text (addresses, paths, enum values,
// numbers) from turning into markup or HTML in a comment. Intraword "_" and
// a bare "[0]" stay as they are: GitHub renders them literally.
func escapeMarkdown(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "<", "&lt;", ">", "&gt;", "&", "&amp;", "|", "\\|")
	return r.Replace(s)
}
