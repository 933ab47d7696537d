package views

import "strings"

// wrapText wraps each paragraph line of text at width columns. Lines that
// begin with a space are taken as preformatted (examples, lists of values)
// and kept as they are, as are blank lines.
func wrapText(text string, width int) string {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if line != "" && !strings.HasPrefix(line, " ") {
			lines[i] = wrapLine(line, width)
		}
	}
	return strings.Join(lines, "\n")
}

// wrapLine breaks line between words so no row exceeds width, except a
// single word longer than width, which is kept whole.
func wrapLine(line string, width int) string {
	var b strings.Builder
	col := 0
	for _, word := range strings.Fields(line) {
		n := len([]rune(word))
		switch {
		case col == 0:
		case col+1+n > width:
			b.WriteByte('\n')
			col = 0
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += n
	}
	return b.String()
}
