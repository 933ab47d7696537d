package planner

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// exprSource renders a kept expression as its source text, formatted the
// way syncline fmt would and trimmed, so spacing changes are not changes.
// Per-object expressions hold references (var.password), never values.
func exprSource(files map[string]*hcl.File, expr hcl.Expression) (string, error) {
	if expr == nil {
		return Null, nil
	}
	rng := expr.Range()
	f, ok := files[rng.Filename]
	if !ok || rng.End.Byte > len(f.Bytes) || rng.Start.Byte > rng.End.Byte {
		return "", fmt.Errorf("no source text for the expression at %s", rng)
	}
	src := hclwrite.Format(f.Bytes[rng.Start.Byte:rng.End.Byte])
	return string(bytes.TrimSpace(src)), nil
}
