package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// decodeNamed decodes each labelled block with decode and stores the result
// under the block's name in into, reporting an invalid name and a second
// definition of the same name (citing the first). It clears each entry of
// blocks once decoded, so that the rest of a block's syntax tree can be
// collected while the others are decoded.
func decodeNamed[T any](blocks []*hcl.Block, into map[string]T, kind string, rangeOf func(T) hcl.Range,
	decode func(*hcl.Block) (T, hcl.Diagnostics)) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i, b := range blocks {
		blocks[i] = nil
		diags = append(diags, checkName(b)...)
		def, defDiags := decode(b)
		diags = append(diags, defDiags...)
		name := b.Labels[0]
		if prev, dup := into[name]; dup {
			diags = append(diags, duplicate("Duplicate "+kind, fmt.Sprintf("The %s %q", kind, name), rangeOf(prev), rangeOf(def)))
			continue
		}
		into[name] = def
	}
	return diags
}
