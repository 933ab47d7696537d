package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var resourceSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "connector", Required: true},
		{Name: "description"},
		{Name: "grouping_interval"},
		{Name: "pending_retention"},
		{Name: "write_batch_size"},
		{Name: "write_flush_interval"},
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
		{Type: "activation"},
		{Type: "group"},
		{Type: "association", LabelNames: []string{"name"}},
	},
}

var activationSchema = &hcl.BodySchema{
	Attributes: required("attribute", "enabled", "disabled"),
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
	content, diags := bodyContent(b.Body, resourceSchema)
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
	if attr, ok := content.Attributes["write_batch_size"]; ok {
		diags = append(diags, d.integer(attr, 1, MaxWriteBatchSize, &r.WriteBatchSize)...)
	}
	if attr, ok := content.Attributes["write_flush_interval"]; ok {
		diags = append(diags, d.duration(attr, &r.WriteFlushInterval)...)
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
	diags = append(diags, checkEntitlements(r)...)
	diags = append(diags, checkIdentifiers(r)...)
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
	content, contentDiags := bodyContent(b.Body, objectTypeSchema)
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
	if attr, ok := content.Attributes["identifier"]; ok {
		ot.IdentifierRange = attr.Expr.Range()
	}
	if attr, ok := content.Attributes["intent"]; ok {
		diags = append(diags, d.name(attr, &ot.Intent)...)
	}
	deprovision, hasDeprovision := content.Attributes["deprovision"]
	if hasDeprovision {
		diags = append(diags, d.enum(deprovision, deprovisionChoices, &ot.Deprovision)...)
	}
	if attr, ok := content.Attributes["provision_when"]; ok {
		ot.ProvisionWhen = attr.Expr
		diags = append(diags, c.checkConditionIn(d, attr.Expr, placeProvisionWhen)...)
	}
	seen := map[string]hcl.Range{}
	var reactionAttrs map[Situation]*hcl.Attribute
	for _, blk := range content.Blocks {
		if blk.Type == "association" { // repeatable: one per entitlement
			a, aDiags := c.decodeAssociation(d, blk)
			diags = append(diags, aDiags...)
			ot.Associations = append(ot.Associations, a)
			continue
		}
		if prev, dup := seen[blk.Type]; dup {
			diags = append(diags, duplicate("Duplicate "+blk.Type+" block", "The "+blk.Type+" block", prev, blk.DefRange))
			continue
		}
		seen[blk.Type] = blk.DefRange
		var blkDiags hcl.Diagnostics
		switch blk.Type {
		case "correlate":
			ot.Correlate, blkDiags = c.decodeMappings(d, blk, placeCorrelate)
		case "inbound":
			ot.Inbound, blkDiags = c.decodeMappings(d, blk, placeInbound)
		case "outbound":
			ot.Outbound, blkDiags = c.decodeMappings(d, blk, placeOutbound)
		case "reactions":
			ot.Reactions, reactionAttrs, blkDiags = decodeReactions(d, blk)
		case "activation":
			ot.Activation, blkDiags = decodeActivation(d, blk)
		case "group":
			ot.Group, blkDiags = c.decodeGroup(d, blk)
		}
		diags = append(diags, blkDiags...)
	}
	if ot.Reactions == nil {
		ot.Reactions, _, _ = decodeReactions(d, nil)
	}
	diags = append(diags, checkEntitlementType(ot, content, reactionAttrs)...)
	if hasDeprovision && ot.Deprovision == DeprovisionDisable {
		diags = append(diags, missingActivation(ot, `The setting deprovision = "disable"`, deprovision.Range)...)
	}
	for _, sit := range Situations {
		if attr, ok := reactionAttrs[sit]; ok && ot.Reactions[sit] == ReactionInactivateResourceObject {
			diags = append(diags, missingActivation(ot, fmt.Sprintf("The reaction %s = %q", sit, ReactionInactivateResourceObject), attr.Range)...)
		}
	}
	return ot, diags
}

// missingActivation reports a setting that disables resource objects on an
// object type that does not say how (it has no activation block).
func missingActivation(ot *ObjectType, what string, rng hcl.Range) hcl.Diagnostics {
	if ot.Activation != nil {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Missing activation block",
		Detail: fmt.Sprintf("%s disables objects on the resource, but the object type %q with intent %q does not say how. "+
			"Add activation { attribute = ..., enabled = ..., disabled = ... } to the object type, naming the resource attribute that holds the state and its value for an enabled and a disabled object.",
			what, ot.Kind, ot.Intent),
		Subject: rng.Ptr(),
	}}
}

// decodeActivation reads an activation block. Its values are plain strings
// known at load time; one that is not yet known (an unset variable while
// validating) is left empty. The Activation is returned even when invalid,
// so that its absence is not reported as well.
func decodeActivation(d *decoder, b *hcl.Block) (*Activation, hcl.Diagnostics) {
	a := &Activation{DeclRange: b.DefRange}
	content, diags := b.Body.Content(activationSchema)
	fields := []struct {
		name string
		dst  *string
	}{{"attribute", &a.Attribute}, {"enabled", &a.Enabled}, {"disabled", &a.Disabled}}
	known := 0
	for _, f := range fields {
		attr, ok := content.Attributes[f.name]
		if !ok {
			continue
		}
		s, ok, sDiags := d.knownString(attr)
		diags = append(diags, sDiags...)
		if !ok {
			continue
		}
		if s == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Empty activation value",
				Detail:   fmt.Sprintf("The activation argument %q must not be empty.", f.name),
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		*f.dst = s
		if f.name != "attribute" {
			known++
		}
	}
	if known == 2 && a.Enabled == a.Disabled {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Same activation values",
			Detail: fmt.Sprintf("The activation values enabled and disabled are both %q, so an enabled object could not be told from a disabled one; give them different values.",
				a.Enabled),
			Subject: content.Attributes["disabled"].Expr.Range().Ptr(),
		})
	}
	return a, diags
}

// decodeMappings keeps each attribute of a mapping block as an expression,
// in source order, after checking it statically.
func (c *Config) decodeMappings(d *decoder, b *hcl.Block, place exprPlace) ([]*Mapping, hcl.Diagnostics) {
	attrs, diags := b.Body.JustAttributes()
	var out []*Mapping
	for _, attr := range attrs {
		out = append(out, &Mapping{Target: attr.Name, Expr: attr.Expr, Range: attr.Range})
		diags = append(diags, c.checkExprIn(d, attr.Expr, place)...)
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
	v, diags := c.checkExprValue(expr, place)
	if diags.HasErrors() {
		return diags
	}
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
// for the situations not mentioned. written holds the attribute of each
// situation the block mentions.
func decodeReactions(d *decoder, b *hcl.Block) (out map[Situation]Reaction, written map[Situation]*hcl.Attribute, diags hcl.Diagnostics) {
	out = map[Situation]Reaction{}
	for sit, r := range DefaultReactions {
		out[sit] = r
	}
	if b == nil {
		return out, nil, nil
	}
	written = map[Situation]*hcl.Attribute{}
	content, diags := bodyContent(b.Body, reactionsSchema)
	for _, sit := range Situations {
		attr, ok := content.Attributes[string(sit)]
		if !ok {
			continue
		}
		written[sit] = attr
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
	return out, written, diags
}

// connectorDefaultIdentifier is the identifier a connection has when its
// identifier setting is left out (only ldap's is optional).
var connectorDefaultIdentifier = map[string]string{"ldap": "entryUUID"}

// checkIdentifiers refuses an object type identifier other than the
// connection's: the connector identifies every object of the resource
// by its connection's setting, so another one on an object type would be
// parsed and then not followed.
func checkIdentifiers(r *Resource) hcl.Diagnostics {
	if r.Connection == nil || r.Connector == "" {
		return nil
	}
	setting := IdentifierSetting[r.Connector]
	conn := r.Connection.String(setting)
	if _, set := r.Connection.Attributes[setting]; !set {
		conn = connectorDefaultIdentifier[r.Connector]
	}
	var diags hcl.Diagnostics
	for _, ot := range r.ObjectTypes {
		if ot.Group != nil { // refused on a group's type: checkEntitlements says so
			continue
		}
		if ot.Identifier == "" || conn == "" || ot.Identifier == conn ||
			(r.Connector == "ldap" && strings.EqualFold(ot.Identifier, conn)) {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Object type identifier differs from the connection's",
			Detail: fmt.Sprintf("The object type %q (intent %q) sets identifier = %q, but the resource %q identifies its objects by its connection's %s, %q: "+
				"every object type of a resource is identified alike. Remove identifier here, or change the connection's %s.",
				ot.Kind, ot.Intent, ot.Identifier, r.Name, setting, conn, setting),
			Subject: ot.IdentifierRange.Ptr(),
		})
	}
	return diags
}
