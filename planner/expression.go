package planner

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/syncline/syncline/config"
)

// exprSource renders a kept expression as its source text, formatted the
// way syncline fmt would and trimmed, so spacing changes are not changes.
// Per-object expressions hold references (var.password), never values.
// formatted, when not nil, memoizes the formatting by source text: a large
// configuration repeats the same filter or mapping many times.
func exprSource(files map[string]*hcl.File, formatted map[string]string, expr hcl.Expression) (string, error) {
	if expr == nil {
		return Null, nil
	}
	rng := expr.Range()
	f, ok := files[rng.Filename]
	if !ok || rng.End.Byte > len(f.Bytes) || rng.Start.Byte > rng.End.Byte {
		return "", fmt.Errorf("no source text for the expression at %s", rng)
	}
	raw := f.Bytes[rng.Start.Byte:rng.End.Byte]
	if src, ok := formatted[string(raw)]; ok {
		return src, nil
	}
	src := string(bytes.TrimSpace(hclwrite.Format(raw)))
	if formatted != nil {
		formatted[string(raw)] = src
	}
	return src, nil
}

// keptExpressionPath reports whether path, in a definition of kind, holds a
// kept expression — source text evaluated per object at run time — rather
// than a rendered value: a resource's object_type.KIND/INTENT.provision_when
// and its correlate.ATTR, inbound.ATTR and outbound.ATTR mappings and
// association.NAME.groups expressions, and a
// task's activity[I].filter. The plan's JSON reads a kept expression as
// HCL and a value as a canonical rendering (typedValue); specWriter.expr
// refuses a path this does not list, so the two cannot drift apart.
func keptExpressionPath(kind, path string) bool {
	switch kind {
	case config.KindResource:
		rest, ok := strings.CutPrefix(path, "object_type.")
		if !ok {
			return false
		}
		parts := strings.Split(rest, ".")
		switch len(parts) {
		case 2:
			return parts[1] == "provision_when"
		case 3:
			return parts[1] == "correlate" || parts[1] == "inbound" || parts[1] == "outbound" ||
				(parts[1] == "group" && parts[2] == "attributes")
		case 4:
			return parts[1] == "association" && parts[3] == "groups"
		}
	case config.KindTask:
		activity, attr, ok := strings.Cut(path, ".")
		return ok && attr == "filter" && strings.HasPrefix(activity, "activity[")
	}
	return false
}
