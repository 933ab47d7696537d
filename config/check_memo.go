package config

import (
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
)

// checkMemo remembers the kept expressions (conditions, filters, mappings)
// that checked clean, by their place and source text, for one decoder:
// the same text in the same place checks the same way — the variables,
// locals and functions it may use are the decoder's throughout — so a
// configuration that repeats a filter in 10,000 tasks evaluates it once
// instead of 10,000 times. Only a check without any diagnostic is
// remembered: a diagnostic names its expression's own range.
type checkMemo struct {
	// sources holds each file's bytes by the name its ranges carry.
	sources map[string][]byte
	mu      sync.Mutex
	clean   map[string]struct{}
}

func newCheckMemo(sources map[string][]byte) *checkMemo {
	return &checkMemo{sources: sources, clean: map[string]struct{}{}}
}

// key is expr's place and source text, or "" when the text is not at hand.
func (m *checkMemo) key(expr hcl.Expression, place exprPlace) string {
	if m == nil || expr == nil {
		return ""
	}
	rng := expr.Range()
	src := m.sources[rng.Filename]
	if rng.Start.Byte < 0 || rng.End.Byte > len(src) || rng.Start.Byte >= rng.End.Byte {
		return ""
	}
	var b strings.Builder
	b.WriteString(place.name)
	for _, r := range place.roots {
		b.WriteByte(0)
		b.WriteString(r)
	}
	b.WriteByte(1)
	b.Write(src[rng.Start.Byte:rng.End.Byte])
	return b.String()
}

// check runs check for expr unless the same text checked clean in the
// same place before.
func (m *checkMemo) check(expr hcl.Expression, place exprPlace, check func() hcl.Diagnostics) hcl.Diagnostics {
	key := m.key(expr, place)
	if key == "" {
		return check()
	}
	m.mu.Lock()
	_, seen := m.clean[key]
	m.mu.Unlock()
	if seen {
		return nil
	}
	diags := check()
	if len(diags) == 0 {
		m.mu.Lock()
		m.clean[key] = struct{}{}
		m.mu.Unlock()
	}
	return diags
}

// checkExprIn is checkExpr through d's memo.
func (c *Config) checkExprIn(d *decoder, expr hcl.Expression, place exprPlace) hcl.Diagnostics {
	return d.memo.check(expr, place, func() hcl.Diagnostics { return c.checkExpr(expr, place) })
}

// checkConditionIn is checkCondition through d's memo.
func (c *Config) checkConditionIn(d *decoder, expr hcl.Expression, place exprPlace) hcl.Diagnostics {
	return d.memo.check(expr, place, func() hcl.Diagnostics { return c.checkCondition(expr, place) })
}
