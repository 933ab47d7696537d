package config

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var resourceSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "connector", Required: true},
		{Name: "description"},
		{Name: "grouping_interval"},
		{Name: "pending_retention"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "connection"},
		{Type: "object_type", LabelNames: []string{"kind"}},
	},
}

var objectTypeSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "intent"},
		{Name: "object_class"},
		{Name: "identifier"},
		{Name: "provision_when"},
		{Name: "deprovision"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "correlate"},
		{Type: "inbound"},
		{Type: "outbound"},
		{Type: "reactions"},
	},
}

// DefaultIntent is the intent of an object type that names none.
const DefaultIntent = "default"

var deprovisionChoices = []string{DeprovisionDelete, DeprovisionDisable, DeprovisionKeep}

func (c *Config) decodeResources(d *decoder, blocks []*hcl.Block) hcl.Diagnostics {
	return decodeNamed(blocks, c.Resources, KindResource, func(r *Resource) hcl.Range { return r.DeclRange },
		func(b *hcl.Block) (*Resource, hcl.Diagnostics) { return c.decodeResource(d, b) })
}

func (c *Config) decodeResource(d *decoder, b *hcl.Block) (*Resource, hcl.Diagnostics) {
	r := &Resource{Name: b.Labels[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(resourceSchema)
	if attr, ok := content.Attributes["connector"]; ok {
		diags = append(diags, d.enum(attr, ConnectorNames(), &r.Connector)...)
	}
	if attr, ok := content.Attributes["description"]; ok {
		diags = append(diags, d.str(attr, &r.Description)...)
	}
	if attr, ok := content.Attributes["grouping_interval"]; ok {
		diags = append(diags, d.duration(attr, &r.GroupingInterval)...)
	}
	if attr, ok := content.Attributes["pending_retention"]; ok {
		diags = append(diags, d.duration(attr, &r.PendingRetention)...)
	}
	diags = append(diags, c.decodeResourceBlocks(d, r, content.Blocks)...)
	return r, diags
}

func (c *Config) decodeResourceBlocks(d *decoder, r *Resource, blocks hcl.Blocks) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, b := range blocks {
		switch b.Type {
		case "connection":
			if r.Connection != nil {
				diags = append(diags, duplicate("Duplicate connection block", "The connection block",
					r.Connection.DeclRange, b.DefRange))
				continue
			}
			if r.Connector == "" {
				r.Connection = &Connection{DeclRange: b.DefRange}
				continue // the connector error is already reported
			}
			conn, connDiags := decodeConnection(d, r.Connector, b)
			diags = append(diags, connDiags...)
			r.Connection = conn
		case "object_type":
			ot, otDiags := c.decodeObjectType(d, b)
			diags = append(diags, otDiags...)
			if prev := r.ObjectType(ot.Kind, ot.Intent); prev != nil {
				diags = append(diags, duplicate("Duplicate object type",
					fmt.Sprintf("The object type %q with intent %q", ot.Kind, ot.Intent), prev.DeclRange, ot.DeclRange))
				continue
			}
			r.ObjectTypes = append(r.ObjectTypes, ot)
		}
	}
	if r.Connection == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing connection block",
			Detail:   fmt.Sprintf("The resource %q needs a connection block saying how to reach it; docs/language.md lists each connector's settings.", r.Name),
			Subject:  r.DeclRange.Ptr(),
		})
	}
	return diags
}

func (c *Config) decodeObjectType(d *decoder, b *hcl.Block) (*ObjectType, hcl.Diagnostics) {
	ot := &ObjectType{Kind: b.Labels[0], Intent: DefaultIntent, Deprovision: DeprovisionDelete, DeclRange: b.DefRange}
	diags := checkName(b)
	content, contentDiags := b.Body.Content(objectTypeSchema)
	diags = append(diags, contentDiags...)
	strs := []struct {
		name string
		dst  *string
	}{{"object_class", &ot.ObjectClass}, {"identifier", &ot.Identifier}}
	for _, s := range strs {
		if attr, ok := content.Attributes[s.name]; ok {
			diags = append(diags, d.str(attr, s.dst)...)
		}
	}
	if attr, ok := content.Attributes["intent"]; ok {
		diags = append(diags, d.name(attr, &ot.Intent)...)
	}
	if attr, ok := content.Attributes["deprovision"]; ok {
		diags = append(diags, d.enum(attr, deprovisionChoices, &ot.Deprovision)...)
	}
	if attr, ok := content.Attributes["provision_when"]; ok {
		ot.ProvisionWhen = attr.Expr
		diags = append(diags, c.checkCondition(attr.Expr, placeProvisionWhen)...)
	}
	seen := map[string]hcl.Range{}
	for _, blk := range content.Blocks {
		if prev, dup := seen[blk.Type]; dup {
			diags = append(diags, duplicate("Duplicate "+blk.Type+" block", "The "+blk.Type+" block", prev, blk.DefRange))
			continue
		}
		seen[blk.Type] = blk.DefRange
		diags = append(diags, c.decodeObjectTypeBlock(d, ot, blk)...)
	}
	if ot.Reactions == nil {
		ot.Reactions, _ = decodeReactions(d, nil)
	}
	return ot, diags
}

func (c *Config) decodeObjectTypeBlock(d *decoder, ot *ObjectType, b *hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	switch b.Type {
	case "correlate":
		ot.Correlate, diags = c.decodeMappings(b, placeCorrelate)
	case "inbound":
		ot.Inbound, diags = c.decodeMappings(b, placeInbound)
	case "outbound":
		ot.Outbound, diags = c.decodeMappings(b, placeOutbound)
	case "reactions":
		ot.Reactions, diags = decodeReactions(d, b)
	}
	return diags
}

// decodeMappings keeps each attribute of a mapping block as an expression,
// in source order, after checking it statically.
func (c *Config) decodeMappings(b *hcl.Block, place exprPlace) ([]*Mapping, hcl.Diagnostics) {
	attrs, diags := b.Body.JustAttributes()
	var out []*Mapping
	for _, attr := range attrs {
		out = append(out, &Mapping{Target: attr.Name, Expr: attr.Expr, Range: attr.Range})
		diags = append(diags, c.checkExpr(attr.Expr, place)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Range.Start.Byte < out[j].Range.Start.Byte })
	if b.Type == "correlate" && len(out) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Empty correlate block",
			Detail:   "A correlate block names at least one user attribute and the expression it must equal, as in name = attributes.login.",
			Subject:  b.DefRange.Ptr(),
		})
	}
	return out, diags
}

// checkCondition checks a condition expression and, when its type is already
// known, that it is a boolean.
func (c *Config) checkCondition(expr hcl.Expression, place exprPlace) hcl.Diagnostics {
	diags := c.checkExpr(expr, place)
	if diags.HasErrors() {
		return diags
	}
	v, _ := expr.Value(c.unknownObjectContext(place))
	if v.Type() != cty.DynamicPseudoType && v.Type() != cty.Bool {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Condition is not a boolean",
			Detail:   fmt.Sprintf("A %s must be true or false, but this expression gives %s.", place.name, v.Type().FriendlyName()),
			Subject:  expr.Range().Ptr(),
		})
	}
	return diags
}

var reactionsSchema = func() *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, sit := range Situations {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: string(sit)})
	}
	return s
}()

// decodeReactions reads situation = "reaction" pairs, filling in defaults
// for the situations not mentioned.
func decodeReactions(d *decoder, b *hcl.Block) (map[Situation]Reaction, hcl.Diagnostics) {
	out := map[Situation]Reaction{}
	for sit, r := range DefaultReactions {
		out[sit] = r
	}
	if b == nil {
		return out, nil
	}
	content, diags := b.Body.Content(reactionsSchema)
	for _, sit := range Situations {
		attr, ok := content.Attributes[string(sit)]
		if !ok {
			continue
		}
		allowed := make([]string, len(allowedReactions[sit]))
		for i, r := range allowedReactions[sit] {
			allowed[i] = string(r)
		}
		var r string
		diags = append(diags, d.enum(attr, allowed, &r)...)
		if r != "" {
			out[sit] = Reaction(r)
		}
	}
	return out, diags
}
