package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

var movedSchema = &hcl.BodySchema{Attributes: required("from", "to")}

// decodeMoved reads moved { from = task.a, to = task.b } blocks.
func (c *Config) decodeMoved(blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, b := range blocks {
		content, cDiags := b.Body.Content(movedSchema)
		diags = append(diags, cDiags...)
		if cDiags.HasErrors() {
			continue
		}
		m := &Moved{DeclRange: b.DefRange}
		var fDiags, tDiags hcl.Diagnostics
		m.From, fDiags = decodeAnyReference(content.Attributes["from"].Expr)
		m.To, tDiags = decodeAnyReference(content.Attributes["to"].Expr)
		diags = append(diags, fDiags...)
		diags = append(diags, tDiags...)
		if m.From != nil && m.To != nil {
			c.Moved = append(c.Moved, m)
		}
	}
	return diags
}

// decodeAnyReference reads a reference to a resource, schedule or task.
func decodeAnyReference(expr hcl.Expression) (*Reference, hcl.Diagnostics) {
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if !diags.HasErrors() && isAddressKind(trav.RootName()) {
		return decodeReference(expr, trav.RootName())
	}
	rng := expr.Range()
	return nil, hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid reference",
		Detail:   "Expected a reference such as task.NAME, schedule.NAME or resource.NAME (without quotes).",
		Subject:  &rng,
	}}
}

// resolveMoved checks that each move goes from a name that no longer exists
// to one that does, within one kind, and that no name moves twice.
func (c *Config) resolveMoved() hcl.Diagnostics {
	var diags hcl.Diagnostics
	from := map[Address]*Moved{}
	to := map[Address]*Moved{}
	for _, m := range c.Moved {
		switch {
		case m.From.Kind != m.To.Kind:
			diags = append(diags, movedError("Move across kinds",
				fmt.Sprintf("%s cannot become %s: a move keeps the kind. Remove the old definition and add the new one instead.", m.From, m.To), m.To.Range))
		case m.From.Address == m.To.Address:
			diags = append(diags, movedError("Move to itself", fmt.Sprintf("%s moves to itself; remove this moved block.", m.From), m.To.Range))
		case c.exists(m.From.Address):
			diags = append(diags, movedError("Moved definition still declared",
				fmt.Sprintf("%s is moved to %s but is still declared. Remove or rename the old block.", m.From, m.To), m.From.Range))
		case !c.exists(m.To.Address):
			diags = append(diags, c.unresolved(m.To))
		}
		if prev, dup := from[m.From.Address]; dup {
			diags = append(diags, duplicate("Duplicate move", fmt.Sprintf("A move from %s", m.From), prev.DeclRange, m.DeclRange))
		}
		if prev, dup := to[m.To.Address]; dup {
			diags = append(diags, duplicate("Duplicate move", fmt.Sprintf("A move to %s", m.To), prev.DeclRange, m.DeclRange))
		}
		from[m.From.Address] = m
		to[m.To.Address] = m
	}
	return diags
}

func (c *Config) exists(a Address) bool {
	return contains(c.namesOf(a.Kind), a.Name)
}

func movedError(summary, detail string, rng hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}
