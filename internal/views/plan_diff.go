package views

import (
	"fmt"
	"strings"

	"github.com/syncline/syncline/planner"
)

// label names a revision for the text view: "main (3f9c2e1)".
func (s DiffSide) label() string {
	label := s.Ref + " (" + s.Short
	if s.Empty {
		label += ", no configuration"
	}
	return label + ")"
}

// diffContext is the sentence under the Markdown title of a diff.
func diffContext(p *planner.Plan, base, head DiffSide) string {
	side := func(s DiffSide) string {
		text := fmt.Sprintf("`%s` (%s)", s.Short, escapeMarkdownText(s.Ref))
		if s.Empty {
			text += ", which has no configuration yet"
		}
		return text
	}
	read := "no state was read"
	if p.Impact != nil {
		read = "the state's repository was read only for the identity impact"
	}
	sentence := fmt.Sprintf("Definitions at %s compared with %s; %s.", side(head), side(base), read)
	if !p.HasChanges() {
		sentence = fmt.Sprintf("The definitions at %s are the same as at %s.", side(head), side(base))
	}
	return sentence
}

// escapeMarkdownText keeps a revision name from turning into markup.
func escapeMarkdownText(s string) string {
	return strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "~", "\\~", "[", "\\[", "]", "\\]",
		"<", "&lt;", ">", "&gt;", "&", "&amp;", "|", "\\|").Replace(s)
}
