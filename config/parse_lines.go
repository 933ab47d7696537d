package config

import (
	"bytes"
	"hash/maphash"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Repeated lines. A large configuration repeats most of its argument lines
// word for word — `attempts = 3`, `connector = "csv"`, the same filter in
// thousands of tasks — and lexing and parsing them is most of loading. A
// line that holds one argument of a block and nothing else parses to the
// same attribute wherever it stands, save for its place: so once such a
// line has been parsed twice, a piece that repeats it is parsed with the
// line blanked out, and the attribute put back into its block as a copy of
// the one parsed before, moved to the line's place (lineTemplates.graft).
//
// The copy is the parser's tree exactly, ranges included
// (TestParseInPiecesEqualsWholeFile compares them): a line is blanked only
// where quickScan saw a line start outside strings and comments, and put
// back only when the blanked parse shows the line directly in a block's
// body — not inside an expression spanning lines, such as an object —
// beside no argument of the same name; otherwise, or when the blanked
// piece draws a diagnostic, the piece is parsed as it is.

// Bounds on what lineTemplates remembers during one load: lines seen once
// (by hash) and lines kept as templates. Past them nothing more is
// remembered, and lines parse as they are.
const (
	maxSeenLines     = 1 << 16
	maxTemplateLines = 1 << 12
)

// lineTemplates remembers, for one load, the argument lines parsed so far:
// a line seen once by its hash, a line seen twice with its attribute as a
// template. Workers parsing files in parallel share it.
type lineTemplates struct {
	seed  maphash.Seed
	mu    sync.RWMutex
	seen  map[uint64]struct{}
	attrs map[string]*lineTemplate
	// grafted counts the lines put back as copies (for tests).
	grafted atomic.Int64
}

// lineTemplate is an attribute as parsed on a line starting at Start
// (the attribute's own start, after the indentation).
type lineTemplate struct {
	attr  *hclsyntax.Attribute
	start hcl.Pos
}

func newLineTemplates() *lineTemplates {
	return &lineTemplates{seed: maphash.MakeSeed(), seen: map[uint64]struct{}{}, attrs: map[string]*lineTemplate{}}
}

// lineHit is a line of a piece that repeats a template: text is
// src[at:end], the line without its indentation and newline.
type lineHit struct {
	at, end int
	pos     hcl.Pos // of at
	tmpl    *lineTemplate
}

// parsePiece parses src[from:to], which starts at start, blanking the
// lines (offsets in lines, just after a newline) that repeat a template
// and putting their attributes back; it then remembers the piece's
// argument lines. The result is what hclsyntax.ParseConfig gives for the
// piece.
func (t *lineTemplates) parsePiece(src []byte, from, to int, filename string, start hcl.Pos, lines []int) (*hcl.File, hcl.Diagnostics) {
	if t == nil {
		return hclsyntax.ParseConfig(src[from:to], filename, start)
	}
	hits := t.lookup(src, from, start, lines)
	if len(hits) > 0 {
		if file, ok := t.parseBlanked(src, from, to, filename, start, hits); ok {
			t.remember(src, file.Body.(*hclsyntax.Body))
			return file, nil
		}
	}
	file, diags := hclsyntax.ParseConfig(src[from:to], filename, start)
	if body, ok := file.Body.(*hclsyntax.Body); ok && len(diags) == 0 {
		t.remember(src, body)
	}
	return file, diags
}

// lookup returns the lines of the piece at from that repeat a template.
func (t *lineTemplates) lookup(src []byte, from int, start hcl.Pos, lines []int) []lineHit {
	var hits []lineHit
	line, counted := start.Line, from
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, ls := range lines {
		at := ls + span(src[ls:], func(c byte) bool { return c == ' ' || c == '\t' })
		end := bytes.IndexByte(src[at:], '\n')
		if end <= 0 {
			continue
		}
		end += at
		tmpl := t.attrs[string(src[at:end])]
		if tmpl == nil {
			continue
		}
		line += bytes.Count(src[counted:ls], []byte("\n"))
		counted = ls
		hits = append(hits, lineHit{at: at, end: end, tmpl: tmpl,
			pos: hcl.Pos{Line: line, Column: at - ls + 1, Byte: at}})
	}
	return hits
}

// parseBlanked parses the piece with the hits blanked out and puts their
// attributes back; false when the piece must be parsed as it is.
func (t *lineTemplates) parseBlanked(src []byte, from, to int, filename string, start hcl.Pos, hits []lineHit) (*hcl.File, bool) {
	piece := append([]byte(nil), src[from:to]...)
	for _, h := range hits {
		for i := h.at - from; i < h.end-from; i++ {
			piece[i] = ' '
		}
	}
	file, diags := hclsyntax.ParseConfig(piece, filename, start)
	body, ok := file.Body.(*hclsyntax.Body)
	if len(diags) > 0 || !ok {
		return nil, false
	}
	for _, h := range hits {
		if !graft(body, h, filename) {
			return nil, false
		}
	}
	file.Bytes = src[from:to]
	t.grafted.Add(int64(len(hits)))
	return file, true
}

// graft puts the attribute of h back into the body of the innermost block
// holding it, moved to h's place: false when the line is not directly in a
// block's body, or the body has an argument of that name already.
func graft(top *hclsyntax.Body, h lineHit, filename string) bool {
	body := innermostBlockBody(top, h.at)
	if body == nil {
		return false
	}
	for _, a := range body.Attributes {
		if a.SrcRange.Start.Byte <= h.at && h.at < a.SrcRange.End.Byte {
			return false // inside an expression over several lines
		}
	}
	name := h.tmpl.attr.Name
	if _, dup := body.Attributes[name]; dup {
		return false
	}
	s := shift{filename: filename, line: h.pos.Line - h.tmpl.start.Line,
		column: h.pos.Column - h.tmpl.start.Column, byte: h.pos.Byte - h.tmpl.start.Byte}
	attr, ok := s.attribute(h.tmpl.attr)
	if !ok {
		return false
	}
	if body.Attributes == nil {
		body.Attributes = hclsyntax.Attributes{}
	}
	body.Attributes[name] = attr
	return true
}

// innermostBlockBody is the body of the innermost block of top whose
// braces hold offset at, nil when none does.
func innermostBlockBody(top *hclsyntax.Body, at int) *hclsyntax.Body {
	var found *hclsyntax.Body
	for body := top; ; {
		var inner *hclsyntax.Block
		for _, b := range body.Blocks {
			if b.OpenBraceRange.End.Byte <= at && at < b.CloseBraceRange.Start.Byte {
				inner = b
				break
			}
		}
		if inner == nil {
			return found
		}
		found, body = inner.Body, inner.Body
	}
}

// remember notes the argument lines of the blocks in body: a line seen
// before becomes a template.
func (t *lineTemplates) remember(src []byte, body *hclsyntax.Body) {
	for _, b := range body.Blocks {
		t.rememberBody(src, b.Body)
	}
}

func (t *lineTemplates) rememberBody(src []byte, body *hclsyntax.Body) {
	for _, a := range body.Attributes {
		if text, ok := argumentLine(src, a); ok {
			t.note(text, a)
		}
	}
	for _, b := range body.Blocks {
		t.rememberBody(src, b.Body)
	}
}

// argumentLine is the text of the line holding a, without indentation and
// newline, when a is alone on its line.
func argumentLine(src []byte, a *hclsyntax.Attribute) ([]byte, bool) {
	r := a.SrcRange
	if r.Start.Line != r.End.Line || r.End.Byte > len(src) || r.Start.Byte < 0 {
		return nil, false
	}
	for i := r.Start.Byte - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' {
			return nil, false
		}
	}
	end := r.End.Byte
	for end < len(src) && (src[end] == ' ' || src[end] == '\t' || src[end] == '\r') {
		end++
	}
	if end >= len(src) || src[end] != '\n' {
		return nil, false
	}
	return src[r.Start.Byte:end], true
}

// note counts a sighting of the argument line text, parsed as a.
func (t *lineTemplates) note(text []byte, a *hclsyntax.Attribute) {
	t.mu.RLock()
	_, known := t.attrs[string(text)]
	t.mu.RUnlock()
	if known {
		return
	}
	h := maphash.Bytes(t.seed, text)
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, twice := t.seen[h]; !twice {
		if len(t.seen) < maxSeenLines {
			t.seen[h] = struct{}{}
		}
		return
	}
	if len(t.attrs) >= maxTemplateLines {
		return
	}
	if _, known := t.attrs[string(text)]; known {
		return
	}
	copied, ok := shift{filename: a.SrcRange.Filename}.attribute(a)
	if !ok {
		return
	}
	t.attrs[string(text)] = &lineTemplate{attr: copied, start: a.SrcRange.Start}
}
