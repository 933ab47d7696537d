package config

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// pieceBytes is about how much of a configuration file parseInPieces hands
// the parser at once. The lexer's token slice grows by append from empty,
// by a quarter at a time once past 256 tokens, so the slices a piece
// allocates add up to several times its final one; pieces of 1 KiB (a few
// hundred tokens) keep to the doubling steps. Loading the 10,000-task
// scenario allocated 520 MB with pieces of 8 KiB, 464 MB with 1 KiB
// (docs/performance.md).
const pieceBytes = 1 << 10

// parseInPieces is parseChecked for a configuration file, returning the
// file's top-level bodies as well. A file that quickNesting follows is cut
// between its top-level blocks into pieces of about pieceBytes, each parsed
// on its own at its place in the file: the lexer builds a slice of every
// token of what it is given, the biggest allocation of loading, and that
// slice then stays small however large the file. A piece that draws any
// diagnostic, or holds a top-level argument (which the file's body would
// check against the others), has the whole file parsed instead, so that the
// diagnostics are the whole file's.
func parseInPieces(src []byte, filename string, templates *lineTemplates) (*hcl.File, []hcl.Body, hcl.Diagnostics) {
	var breaks, lines []int
	linesAt := &lines
	if templates == nil {
		linesAt = nil
	}
	if _, ok := quickScan(src, MaxNestingDepth, pieceBytes, &breaks, linesAt); ok && len(breaks) > 0 {
		if bodies := parsePieces(src, filename, breaks, lines, templates); bodies != nil {
			return &hcl.File{Bytes: src, Body: hcl.MergeBodies(bodies)}, bodies, nil
		}
	}
	file, diags := parseChecked(src, filename)
	if file == nil {
		return nil, nil, diags
	}
	return file, []hcl.Body{file.Body}, diags
}

// parsePieces parses src cut at breaks, or returns nil when a piece draws a
// diagnostic or holds a top-level argument. The lines that repeat one of
// templates' are not parsed again (see parse_lines.go); lines are where
// src's lines begin, in order.
func parsePieces(src []byte, filename string, breaks, lines []int, templates *lineTemplates) []hcl.Body {
	var bodies []hcl.Body
	start, from := hcl.InitialPos, 0
	for _, to := range append(breaks, len(src)) {
		if to == from {
			continue
		}
		n := 0
		for n < len(lines) && lines[n] < to {
			n++
		}
		piece, diags := templates.parsePiece(src, from, to, filename, start, lines[:n])
		lines = lines[n:]
		body, ok := piece.Body.(*hclsyntax.Body)
		if len(diags) > 0 || !ok || len(body.Attributes) > 0 {
			return nil
		}
		limitExpressions(body, "")
		bodies = append(bodies, body)
		start = hcl.Pos{Line: start.Line + bytes.Count(src[from:to], []byte("\n")), Column: 1, Byte: to}
		from = to
	}
	return bodies
}
