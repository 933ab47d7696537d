package config

import (
	"bytes"
	"cmp"
	"hash/maphash"
	"slices"
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
	seed maphash.Seed
	mu   sync.RWMutex
	seen map[uint64]struct{}
	// lines are the templates by their first line: an attribute's line, or
	// the first line of blocks.
	lines     map[string]*lineEntry
	templates int
	// grafted counts the lines put back as copies, graftedBlocks the
	// blocks among them (for tests).
	grafted, graftedBlocks atomic.Int64
}

// lineTemplate is an attribute as parsed on a line, or a nested block as
// parsed on the lines it spans, starting at start (after the indentation).
type lineTemplate struct {
	attr  *hclsyntax.Attribute
	block *hclsyntax.Block
	text  string // a block's lines, without the last newline
	start hcl.Pos
}

// lineEntry holds the templates that begin with one line.
type lineEntry struct {
	attr   *lineTemplate
	blocks []*lineTemplate
}

func newLineTemplates() *lineTemplates {
	return &lineTemplates{seed: maphash.MakeSeed(), seen: map[uint64]struct{}{}, lines: map[string]*lineEntry{}}
}

// maxBlockText bounds the text of a block kept as a template.
const maxBlockText = 4 << 10

// lineHit is a line, or the lines of a block, of a piece that repeat a
// template: src[at:end], without the indentation and the last newline.
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
	hits := t.lookup(src, from, to, start, lines)
	if len(hits) > 0 {
		if file, ok := t.parseBlanked(src, from, to, filename, start, hits); ok {
			t.remember(src, file.Body.(*hclsyntax.Body), hits)
			return file, nil
		}
	}
	file, diags := hclsyntax.ParseConfig(src[from:to], filename, start)
	if body, ok := file.Body.(*hclsyntax.Body); ok && len(diags) == 0 {
		t.remember(src, body, nil)
	}
	return file, diags
}

// lookup returns the lines of the piece src[from:to] that repeat a
// template.
func (t *lineTemplates) lookup(src []byte, from, to int, start hcl.Pos, lines []int) []lineHit {
	var hits []lineHit
	line, counted, covered := start.Line, from, from
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, ls := range lines {
		if ls < covered {
			continue // within a block found already
		}
		at := ls + span(src[ls:], func(c byte) bool { return c == ' ' || c == '\t' })
		end := bytes.IndexByte(src[at:to], '\n')
		if end <= 0 {
			continue
		}
		end += at
		entry := t.lines[string(src[at:end])]
		if entry == nil {
			continue
		}
		tmpl := entry.attr
		if tmpl == nil {
			if tmpl, end = blockAt(entry.blocks, src[:to], at); tmpl == nil {
				continue
			}
		}
		line += bytes.Count(src[counted:ls], []byte("\n"))
		counted, covered = ls, end
		hits = append(hits, lineHit{at: at, end: end, tmpl: tmpl,
			pos: hcl.Pos{Line: line, Column: at - ls + 1, Byte: at}})
	}
	return hits
}

// blockAt returns the block template whose text src holds at at, followed
// by a newline; and where that text ends.
func blockAt(blocks []*lineTemplate, src []byte, at int) (*lineTemplate, int) {
	for _, tmpl := range blocks {
		end := at + len(tmpl.text)
		if end < len(src) && src[end] == '\n' && string(src[at:end]) == tmpl.text {
			return tmpl, end
		}
	}
	return nil, 0
}

// parseBlanked parses the piece with the hits blanked out and puts their
// attributes back; false when the piece must be parsed as it is.
func (t *lineTemplates) parseBlanked(src []byte, from, to int, filename string, start hcl.Pos, hits []lineHit) (*hcl.File, bool) {
	piece := append([]byte(nil), src[from:to]...)
	for _, h := range hits {
		for i := h.at - from; i < h.end-from; i++ {
			if piece[i] != '\n' {
				piece[i] = ' '
			}
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
	for _, h := range hits {
		t.grafted.Add(1 + int64(bytes.Count(src[h.at:h.end], []byte("\n"))))
		if h.tmpl.block != nil {
			t.graftedBlocks.Add(1)
		}
	}
	return file, true
}

// graft puts the attribute or block of h back into the body of the
// innermost block holding it, moved to h's place: false when the line is
// not directly in a block's body, or an attribute's body has an argument
// of that name already.
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
	s := shift{filename: filename, line: h.pos.Line - h.tmpl.start.Line, firstLine: h.tmpl.start.Line,
		column: h.pos.Column - h.tmpl.start.Column, byte: h.pos.Byte - h.tmpl.start.Byte}
	if h.tmpl.block != nil {
		return graftBlock(body, h, s)
	}
	name := h.tmpl.attr.Name
	if _, dup := body.Attributes[name]; dup {
		return false
	}
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

// graftBlock puts the block of h into body, among its blocks in the order
// of the source.
func graftBlock(body *hclsyntax.Body, h lineHit, s shift) bool {
	b, ok := s.block(h.tmpl.block)
	if !ok {
		return false
	}
	i := 0
	for i < len(body.Blocks) && body.Blocks[i].TypeRange.Start.Byte < h.at {
		i++
	}
	body.Blocks = slices.Insert(body.Blocks, i, b)
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
// before becomes a template. What hits put back is a template already.
func (t *lineTemplates) remember(src []byte, body *hclsyntax.Body, hits []lineHit) {
	r := rememberer{t: t, src: src, hits: hits}
	for _, b := range body.Blocks {
		r.body(b.Body)
	}
}

// rememberer walks the bodies of a piece for remember.
type rememberer struct {
	t    *lineTemplates
	src  []byte
	hits []lineHit // in the order of the source
}

// copied reports whether the node starting at offset at was put back.
func (r rememberer) copied(at int) bool {
	i, found := slices.BinarySearchFunc(r.hits, at, func(h lineHit, at int) int { return cmp.Compare(h.at, at) })
	return found || i > 0 && at < r.hits[i-1].end
}

func (r rememberer) body(body *hclsyntax.Body) {
	t, src := r.t, r.src
	for _, a := range body.Attributes {
		if r.copied(a.SrcRange.Start.Byte) {
			continue
		}
		if text, ok := argumentLine(src, a); ok {
			t.note(text, a, nil)
		}
	}
	for _, b := range body.Blocks {
		if r.copied(b.TypeRange.Start.Byte) {
			continue
		}
		if text, ok := blockLines(src, b); ok {
			t.note(text, nil, b)
		}
		r.body(b.Body)
	}
}

// blockLines is the text of the lines b spans, without the indentation
// and the last newline, when b has them to itself.
func blockLines(src []byte, b *hclsyntax.Block) ([]byte, bool) {
	r := hcl.RangeBetween(b.TypeRange, b.CloseBraceRange)
	if r.End.Byte-r.Start.Byte > maxBlockText {
		return nil, false
	}
	return ownLine(src, r)
}

// argumentLine is the text of the line holding a, without indentation and
// newline, when a is alone on its line.
func argumentLine(src []byte, a *hclsyntax.Attribute) ([]byte, bool) {
	if a.SrcRange.Start.Line != a.SrcRange.End.Line {
		return nil, false
	}
	return ownLine(src, a.SrcRange)
}

// ownLine is src from r's start to the end of the line where r ends, when
// only indentation comes before r on its line and only spaces after it.
func ownLine(src []byte, r hcl.Range) ([]byte, bool) {
	if r.End.Byte > len(src) || r.Start.Byte < 0 {
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

// note counts a sighting of the text of a line parsed as attribute a, or
// of lines parsed as block b.
func (t *lineTemplates) note(text []byte, a *hclsyntax.Attribute, b *hclsyntax.Block) {
	if t.known(text, b != nil) {
		return
	}
	h := maphash.Bytes(t.seed, text)
	if b != nil {
		h = ^h // blocks and attributes apart
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, twice := t.seen[h]; !twice {
		if len(t.seen) < maxSeenLines {
			t.seen[h] = struct{}{}
		}
		return
	}
	if t.templates >= maxTemplateLines || t.knownLocked(text, b != nil) {
		return
	}
	first, _, _ := bytes.Cut(text, []byte("\n"))
	entry := t.lines[string(first)]
	if entry == nil {
		entry = &lineEntry{}
		t.lines[string(first)] = entry
	}
	if b == nil {
		if copied, ok := (shift{filename: a.SrcRange.Filename}).attribute(a); ok {
			entry.attr = &lineTemplate{attr: copied, start: a.SrcRange.Start}
			t.templates++
		}
		return
	}
	if copied, ok := (shift{filename: b.TypeRange.Filename}).block(b); ok {
		entry.blocks = append(entry.blocks, &lineTemplate{block: copied, text: string(text), start: b.TypeRange.Start})
		t.templates++
	}
}

// known reports whether text is a template already.
func (t *lineTemplates) known(text []byte, block bool) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.knownLocked(text, block)
}

func (t *lineTemplates) knownLocked(text []byte, block bool) bool {
	first, _, _ := bytes.Cut(text, []byte("\n"))
	entry := t.lines[string(first)]
	switch {
	case entry == nil:
		return false
	case !block:
		return entry.attr != nil
	}
	for _, tmpl := range entry.blocks {
		if tmpl.text == string(text) {
			return true
		}
	}
	return false
}
