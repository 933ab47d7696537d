package config

import (
	"reflect"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// bodyContent is body.Content(schema) for the bodies loading decodes by the
// thousand. When body is fresh from the parser and fits schema — every
// argument and block is one schema names, each block with its labels, no
// required argument missing — the content is built directly: what
// hclsyntax's Content builds besides (maps of what it hid, a body of what
// remains, a map of the schema's blocks) only serves the errors of a body
// that does not fit. Any other body goes to Content, which reports them;
// TestBodyContentIsContent holds the two answers equal.
func bodyContent(body hcl.Body, schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	b, ok := body.(*hclsyntax.Body)
	if !ok || !fitsSchema(b, schema) {
		return body.Content(schema)
	}
	attrs := make(hcl.Attributes, len(b.Attributes))
	for _, s := range schema.Attributes {
		if a, ok := b.Attributes[s.Name]; ok {
			attrs[s.Name] = a.AsHCLAttribute()
		}
	}
	var blocks hcl.Blocks
	if len(b.Blocks) > 0 {
		blocks = make(hcl.Blocks, len(b.Blocks))
		for i, block := range b.Blocks {
			blocks[i] = block.AsHCLBlock()
		}
	}
	return &hcl.BodyContent{Attributes: attrs, Blocks: blocks, MissingItemRange: b.MissingItemRange()}, nil
}

// fitsSchema reports whether Content would find nothing to report in b.
func fitsSchema(b *hclsyntax.Body, schema *hcl.BodySchema) bool {
	if !fresh(b) {
		return false
	}
	found := 0
	for _, s := range schema.Attributes {
		if _, ok := b.Attributes[s.Name]; ok {
			found++
		} else if s.Required {
			return false
		}
	}
	if found != len(b.Attributes) {
		return false // an argument the schema does not name (or names twice)
	}
	for _, block := range b.Blocks {
		if !blockFits(block, schema.Blocks) {
			return false
		}
	}
	return true
}

// blockFits reports whether block is of a type in schemas, with as many
// labels as the schema of that type names (the last, as Content takes).
func blockFits(block *hclsyntax.Block, schemas []hcl.BlockHeaderSchema) bool {
	fits, found := false, false
	for _, s := range schemas {
		if s.Type == block.Type {
			fits, found = len(block.Labels) == len(s.LabelNames), true
		}
	}
	return found && fits
}

// hiddenFields are the indexes of hclsyntax.Body's hiddenAttrs and
// hiddenBlocks, which PartialContent sets on the body of what remains;
// nil when hclsyntax no longer has them, and then no body is fresh.
var hiddenFields = func() []int {
	t := reflect.TypeFor[hclsyntax.Body]()
	attrs, ok1 := t.FieldByName("hiddenAttrs")
	blocks, ok2 := t.FieldByName("hiddenBlocks")
	if !ok1 || !ok2 || attrs.Type.Kind() != reflect.Map || blocks.Type.Kind() != reflect.Map {
		return nil
	}
	return []int{attrs.Index[0], blocks.Index[0]}
}()

// fresh reports whether b is as the parser made it, hiding nothing.
func fresh(b *hclsyntax.Body) bool {
	if hiddenFields == nil {
		return false
	}
	v := reflect.ValueOf(b).Elem()
	return v.Field(hiddenFields[0]).IsNil() && v.Field(hiddenFields[1]).IsNil()
}
