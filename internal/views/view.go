package views

import (
	"fmt"
	"io"
)

// ViewType is the kind of view a command renders through, chosen once
// from its -format flag.
type ViewType string

// View types.
const (
	// Text is the human view for a terminal, coloured when Color is on.
	Text ViewType = "text"
	// JSON is the documented JSON encoding, for machines
	// (docs/plan-format.md).
	JSON ViewType = "json"
	// Markdown is for a pull-request comment, cut to fit GitHub's comment
	// limit.
	Markdown ViewType = "markdown"
)

// ParseViewType reads a -format value: text (also ""), json or markdown.
// The error is the sentence a usage error shows.
func ParseViewType(format string) (ViewType, error) {
	switch ViewType(format) {
	case Text, "":
		return Text, nil
	case JSON, Markdown:
		return ViewType(format), nil
	}
	return "", fmt.Errorf("-format must be text, json or markdown, not %q", format)
}

// Streams are where a view writes: Stdout for what the command produces,
// Stderr for remarks that must not mix into a machine-readable result.
type Streams struct {
	Stdout io.Writer
	Stderr io.Writer
}
