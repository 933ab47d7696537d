package report

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// renderCSV writes a header line of the column names and a line per row
// (RFC 4180: quoted where needed, CRLF-free). Every cell, header included,
// goes through neutralise.
func renderCSV(buf *bytes.Buffer, _ header, t *table) error {
	w := csv.NewWriter(buf)
	record := make([]string, len(t.columns))
	for i, c := range t.columns {
		record[i] = neutralise(c)
	}
	if err := w.Write(record); err != nil {
		return err
	}
	for _, row := range t.rows {
		for i, c := range t.columns {
			record[i] = neutralise(lookup(row, c))
		}
		if err := w.Write(record); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (or, for tab and carriage return, hide one).
const formulaStarts = "=+-@\t\r"

// neutralise defuses a cell a spreadsheet would run as a formula ("CSV
// injection"): one that starts with =, +, -, @, a tab or a carriage return
// gets a leading single quote, which spreadsheets show as text. A value
// such as "-5" is quoted too: a report is for reading, and a number that
// becomes text is the safe mistake.
func neutralise(cell string) string {
	if cell != "" && strings.ContainsRune(formulaStarts, rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
