package views

import (
	"github.com/syncline/syncline/planner"

	"cmp"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/syncline/syncline/config"
)

// GitHubCommentLimit is the most characters a GitHub issue or pull-request
// comment may hold, for MarkdownOptions.MaxLength.
const GitHubCommentLimit = 65536

// MarkdownOptions shape the Markdown view.
type MarkdownOptions struct {
	// Title opens the heading in place of "Syncline plan", as in
	// "### Syncline diff main..feature: 1 to add, 0 to change, 0 to remove".
	Title string
	// Context replaces the sentence under the heading that says what the
	// plan was computed from, and for a plan without changes the sentence
	// saying so.
	Context string
	// MaxLength bounds the output in characters; 0 means no bound. When
	// the whole plan does not fit, reviewer notes, table rows and change
	// details are cut from the end, in that order of priority, and a last
	// line says how many changes are not shown in detail.
	MaxLength int
}

// RenderMarkdown writes the plan for a pull-request comment: a title with
// the summary, a table of changes, the errors and notes a reviewer must see
// in blockquotes, then each change in a collapsed <details> block holding a
// diff of its attributes and next runs.
func RenderMarkdown(w io.Writer, p *planner.Plan) error {
	return RenderMarkdownWith(w, p, MarkdownOptions{})
}

// RenderMarkdownWith is RenderMarkdown with options: another title and
// context for views that are not plans against the state (syncline diff),
// and a length limit for comment systems (GitHubCommentLimit).
func RenderMarkdownWith(w io.Writer, p *planner.Plan, opts MarkdownOptions) error {
	parts := markdownPartsOf(p, opts)
	_, err := io.WriteString(w, parts.assemble(opts.MaxLength))
	return err
}

// markdownParts are the sections of the Markdown view, kept apart so that
// a length limit can cut the long ones line by line.
type markdownParts struct {
	head      string   // title and context
	tableHead string   // table header, "" without changes
	rows      []string // one per change
	fixed     string   // errors, drift and the impact's counts, never cut
	notes     []string // one line per note
	samples   []string // the impact's samples, one block per kind
	details   []string // one block per change
}

func markdownPartsOf(p *planner.Plan, opts MarkdownOptions) *markdownParts {
	title := opts.Title
	if title == "" {
		title = "Syncline plan"
	}
	var head, fixed markdownView
	if !p.HasChanges() {
		head.line("### " + title + ": no changes")
		head.line("")
		head.line(cmp.Or(opts.Context, "The stored definitions match the configuration."))
	} else {
		head.line("### " + title + ": " + summaryLine(p.Summary))
		head.line("")
		head.context(p, opts.Context)
	}
	fixed.errors(p.Errors)
	fixed.drift(p.Drift)
	impactHead, samples := impactMarkdown(p.Impact)
	parts := &markdownParts{head: head.b.String(), fixed: fixed.b.String() + impactHead, notes: noteLines(p.Changes), samples: samples}
	if p.HasChanges() {
		parts.tableHead = "| Action | Address | Source |\n|---|---|---|\n"
	}
	for _, c := range p.Changes {
		parts.rows = append(parts.rows, tableRow(c))
		var d markdownView
		d.details(c)
		parts.details = append(parts.details, d.b.String())
	}
	return parts
}

// assemble joins the parts in reading order, cutting them to fit limit
// characters when limit > 0.
func (m *markdownParts) assemble(limit int) string {
	notes, rows, samples, details := len(m.notes), len(m.rows), len(m.samples), len(m.details)
	if limit > 0 && chars(m.render(notes, rows, samples, details)) > limit {
		notes, rows, samples, details = m.fit(limit)
	}
	return m.render(notes, rows, samples, details)
}

// fit chooses how many notes, rows and details fit in limit, giving the
// notes first claim, then the table, then the details. What is always
// written — heading, errors, drift, the lines saying what was left out —
// is counted first.
func (m *markdownParts) fit(limit int) (notes, rows, samples, details int) {
	budget := limit - chars(m.render(0, 0, 0, 0)) - chars(m.tableHead) - 1
	take := func(items []string) int {
		for i, it := range items {
			c := chars(it)
			if c > budget {
				return i
			}
			budget -= c
		}
		return len(items)
	}
	// Each list gets what the one before left only when that one fit
	// whole, so nothing later is shown while something earlier is cut.
	if notes = take(m.notes); notes < len(m.notes) {
		return notes, 0, 0, 0
	}
	if rows = take(m.rows); rows < len(m.rows) {
		return notes, rows, 0, 0
	}
	if samples = take(m.samples); samples < len(m.samples) {
		return notes, rows, samples, 0
	}
	return notes, rows, samples, take(m.details)
}

// render writes the first notes notes, rows rows and details details, each
// cut list followed by a line saying how much was left out.
func (m *markdownParts) render(notes, rows, samples, details int) string {
	var b strings.Builder
	b.WriteString(m.head)
	if rows > 0 {
		b.WriteString(m.tableHead)
		for _, r := range m.rows[:rows] {
			b.WriteString(r)
		}
		b.WriteString("\n")
	}
	b.WriteString(m.fixed)
	if len(m.notes) > 0 {
		b.WriteString(noteHeader)
		for _, n := range m.notes[:notes] {
			b.WriteString(n)
		}
		if notes < len(m.notes) {
			b.WriteString(moreNotesLine(len(m.notes) - notes))
		}
		b.WriteString("\n")
	}
	for _, d := range m.samples[:samples] {
		b.WriteString(d)
	}
	if samples < len(m.samples) {
		b.WriteString(moreSamplesLine(len(m.samples) - samples))
	}
	for _, d := range m.details[:details] {
		b.WriteString(d)
	}
	if details < len(m.details) {
		b.WriteString(footerLine(len(m.details) - details))
	}
	return b.String()
}

const noteHeader = "> [!WARNING]\n> **Notes for reviewers:**\n"

func moreNotesLine(n int) string {
	return fmt.Sprintf("> - … %d more %s; see the full plan in the CI log.\n", n, plural(n, "note"))
}

func moreSamplesLine(n int) string {
	return fmt.Sprintf("… the samples of %d more %s of change; see the full plan in the CI log.\n\n", n, plural(n, "kind"))
}

func footerLine(n int) string {
	return fmt.Sprintf("… %d more %s; see the full plan in the CI log.\n", n, plural(n, "change"))
}

func chars(s string) int { return utf8.RuneCountInString(s) }

type markdownView struct{ b strings.Builder }

func (m *markdownView) line(s string) {
	m.b.WriteString(s)
	m.b.WriteByte('\n')
}

// context says what the plan was computed from, unless the caller said.
func (m *markdownView) context(p *planner.Plan, context string) {
	if context != "" {
		m.line(context)
		m.line("")
		return
	}
	from := "the working directory"
	if p.Revision != "" {
		from = "revision " + code(config.ShortCommit(p.Revision))
	}
	against := "an empty state"
	if p.Lineage != "" {
		against = fmt.Sprintf("state serial %d", p.Serial)
	}
	m.line(fmt.Sprintf("Planned from %s against %s.", from, against))
	m.line("")
}

func tableRow(c planner.Change) string {
	addr := code(c.Address)
	if c.PreviousAddress != "" {
		addr += " (from " + code(c.PreviousAddress) + ")"
	}
	return fmt.Sprintf("| %s %s | %s | %s |\n", code(c.Action.Symbol()), c.Action, addr, code(c.Source))
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

// noteLines gathers every change's notes into the lines of one blockquote,
// so a reviewer sees them without opening the details.
func noteLines(changes []planner.Change) []string {
	var lines []string
	for _, c := range changes {
		for _, n := range c.Notes {
			lines = append(lines, "> - "+code(c.Address)+": "+escapeMarkdown(n)+"\n")
		}
	}
	return lines
}

func (m *markdownView) details(c planner.Change) {
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

func (m *markdownView) drift(drift []planner.Drift) {
	if len(drift) == 0 {
		return
	}
	m.line("> [!CAUTION]")
	m.line("> **Drift — the running system differs from the configuration:**")
	for _, d := range drift {
		m.line(fmt.Sprintf("> - `%s` is %s", d.Address, d.Message))
	}
	m.line("")
}
