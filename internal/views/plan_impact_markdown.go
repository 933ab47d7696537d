package views

import (
	"fmt"
	"strings"

	"github.com/syncline/syncline/planner"
)

// impactMarkdown is the identity impact of a pull-request comment: a
// heading with the totals, a table of counts per object type (and for
// users), thresholds and notes in alerts — never cut — and the samples,
// one collapsed <details> block per kind of change, which a length limit
// may cut.
func impactMarkdown(imp *planner.Impact) (head string, samples []string) {
	if imp == nil {
		return "", nil
	}
	var m markdownView
	summary := countsLine(imp.Totals, false)
	if users := countsLine(imp.Totals, true); users != "" {
		summary = strings.Trim(summary+", "+users, ", ")
	}
	if summary == "" {
		summary = "no user or resource object would change"
	}
	m.line("")
	m.line("#### Identity impact: " + escapeMarkdown(summary))
	m.line("")
	m.line(strings.ToUpper(evaluatedLine(imp)[:1]) + evaluatedLine(imp)[1:] + ".")
	m.line("")
	if imp.Truncated != "" || len(imp.Notes) > 0 {
		m.line("> [!NOTE]")
		if imp.Truncated != "" {
			m.line("> " + escapeMarkdown(imp.Truncated))
		}
		for _, n := range imp.Notes {
			m.line("> " + escapeMarkdown(n))
		}
		m.line("")
	}
	if len(imp.Thresholds) > 0 {
		m.line("> [!CAUTION]")
		m.line("> **Thresholds the change would exceed:**")
		for _, x := range imp.Thresholds {
			m.line("> - " + escapeMarkdown(thresholdLine(x)))
		}
		m.line("")
	}
	m.impactTable(imp)
	return m.b.String(), impactSampleBlocks(imp)
}

func (m *markdownView) impactTable(imp *planner.Impact) {
	var rows []string
	if users := countsLine(imp.Totals, true); users != "" {
		rows = append(rows, fmt.Sprintf("| users | %s | %s |", escapeMarkdown(users), escapeMarkdown(attributeCounts(imp.UserAttributes))))
	}
	for _, t := range imp.Types {
		if counts := countsLine(t.Counts, false); counts != "" {
			rows = append(rows, fmt.Sprintf("| %s | %s | %s |", code(typeLabel(t)), escapeMarkdown(counts), escapeMarkdown(attributeCounts(t.Attributes))))
		}
	}
	if len(rows) == 0 {
		return
	}
	m.line("| Who | Changes | Attributes |")
	m.line("|---|---|---|")
	for _, r := range rows {
		m.line(r)
	}
	m.line("")
}

// impactSampleBlocks are the samples, one <details> block per kind.
func impactSampleBlocks(imp *planner.Impact) []string {
	kinds, by := sampleGroups(imp)
	out := make([]string, 0, len(kinds))
	for _, kind := range kinds {
		total, _ := imp.Totals.Count(kind)
		var m markdownView
		m.line(fmt.Sprintf("<details><summary>%s: %d of %d</summary>", impactWords[kind].heading, len(by[kind]), total))
		m.line("")
		for _, s := range by[kind] {
			line := "- " + code(sampleSubject(s))
			if d := sampleDetail(s); d != "" {
				line += " " + code(d)
			}
			m.line(line)
			for _, a := range s.Attributes {
				m.line("  - " + code(attributeLine(a)))
			}
		}
		m.line("")
		m.line("</details>")
		m.line("")
		out = append(out, m.b.String())
	}
	return out
}
