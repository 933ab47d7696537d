package report

import "bytes"

// formats render a table, whole, in memory: a report is written only
// when it is complete.
var formats = map[string]func(*bytes.Buffer, header, *table) error{
	"csv":  renderCSV,
	"json": renderJSON,
	"html": renderHTML,
}

// render renders t in format.
func render(format string, h header, t *table) ([]byte, error) {
	var buf bytes.Buffer
	if err := formats[format](&buf, h, t); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
