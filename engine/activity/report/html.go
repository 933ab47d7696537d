package report

import (
	"bytes"
	"html/template"
	"strconv"
	"time"

	"github.com/syncline/syncline/planner"
)

// htmlPage is a self-contained page: no script, no external style sheet,
// image or font, a Content-Security-Policy that forbids loading any, and
// every value escaped by html/template.
var htmlPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1b1f24; }
h1 { font-size: 1.4em; margin: 0 0 .2em; }
p.meta { color: #57606a; margin: 0 0 1.2em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: .3em .6em; text-align: left; vertical-align: top; white-space: pre-wrap; }
th { background: #f6f8fa; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">{{.Meta}}</p>
<table>
<thead><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}<td{{if .Numeric}} class="num"{{end}}>{{.Text}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
<p class="meta">{{.Count}}</p>
</body>
</html>
`))

type htmlCell struct {
	Text    string
	Numeric bool
}

type htmlData struct {
	Title, Meta, Count string
	Columns            []string
	Rows               [][]htmlCell
}

// renderHTML writes a readable page with one table.
func renderHTML(buf *bytes.Buffer, h header, t *table) error {
	d := htmlData{Title: "Task " + h.Task + ": " + h.Activity, Columns: t.columns}
	d.Meta = "Source: " + h.Source
	if h.Object != "" {
		d.Meta += " (" + h.Object + ")"
	}
	if h.Since > 0 {
		d.Meta += ", the last " + planner.FormatDuration(h.Since)
	}
	d.Meta += ". Generated " + h.Generated.Format(time.RFC3339) + "."
	d.Count = rowsText(len(t.rows))
	for _, row := range t.rows {
		cells := make([]htmlCell, len(t.columns))
		for i, c := range t.columns {
			cells[i] = htmlCell{Text: lookup(row, c), Numeric: t.numeric[c]}
		}
		d.Rows = append(d.Rows, cells)
	}
	return htmlPage.Execute(buf, d)
}

func rowsText(n int) string {
	if n == 1 {
		return "1 row."
	}
	return strconv.Itoa(n) + " rows."
}
