// Package views renders results for people: the text view of a plan for a
// terminal (RenderText, in the manner of Terraform's), the Markdown view for
// a pull-request comment (RenderMarkdown, RenderMarkdownWith), and the one
// colouriser of the program (Color), which paints only on a terminal and
// never under -no-color or NO_COLOR.
//
// Its neighbours: planner computes the plan as plain data and owns its JSON
// encoding (planner.RenderJSON), which views does not repeat; cmd/syncline
// chooses a view from its flags and hands it results. docs/plan-format.md
// describes the text and Markdown layouts; testdata/ holds a golden file
// of every scenario in each of them.
package views
