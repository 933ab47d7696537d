package planner

import (
	"github.com/syncline/syncline/config"
)

// resourceSpec writes a resource: its connector, every setting of the
// connector's connection block (null when unset), and each object type
// under object_type.KIND/INTENT.
func resourceSpec(w specWriter, r *config.Resource) {
	w.str("connector", r.Connector)
	w.str("description", r.Description)
	w.duration("grouping_interval", r.GroupingInterval)
	w.duration("pending_retention", r.PendingRetention)
	// Written only when set, so that a state applied before the settings
	// existed sees no change.
	if r.WriteBatchSize > 0 {
		w.int("write_batch_size", r.WriteBatchSize)
	}
	if r.WriteFlushInterval > 0 {
		w.duration("write_flush_interval", r.WriteFlushInterval)
	}
	connectionSpec(w.at("connection"), r.Connector, r.Connection)
	for _, ot := range r.ObjectTypes {
		objectTypeSpec(w.at("object_type."+ot.Kind+"/"+ot.Intent), ot)
	}
}

func connectionSpec(w specWriter, connector string, c *config.Connection) {
	for _, setting := range config.Connectors[connector] {
		v := c.Attributes[setting.Name] // cty.NilVal renders null
		w.value(setting.Name, v, setting.Secret)
	}
}

func objectTypeSpec(w specWriter, ot *config.ObjectType) {
	w.str("object_class", ot.ObjectClass)
	w.str("identifier", ot.Identifier)
	w.str("deprovision", ot.Deprovision)
	if a := ot.Activation; a != nil {
		w.str("activation.attribute", a.Attribute)
		w.str("activation.enabled", a.Enabled)
		w.str("activation.disabled", a.Disabled)
	}
	w.expr("provision_when", ot.ProvisionWhen)
	entitlementSpec(w, ot)
	mappingsSpec(w.at("correlate"), ot.Correlate)
	mappingsSpec(w.at("inbound"), ot.Inbound)
	mappingsSpec(w.at("outbound"), ot.Outbound)
	for _, sit := range config.Situations {
		reaction, ok := ot.Reactions[sit]
		if !ok {
			reaction = config.DefaultReactions[sit]
		}
		w.str("reactions."+string(sit), string(reaction))
	}
}

func mappingsSpec(w specWriter, mappings []*config.Mapping) {
	for _, m := range mappings {
		w.expr(m.Target, m.Expr)
	}
}

// entitlementSpec writes an entitlement's group block and an account's
// associations, only when the object type has them: a state applied
// before they existed sees no change.
func entitlementSpec(w specWriter, ot *config.ObjectType) {
	if g := ot.Group; g != nil && g.Membership == config.MembershipAccount {
		// Written only with membership = "account", which has none of the
		// group entries' settings: a state applied before it sees no change.
		w.str("group.membership", g.Membership)
		w.str("group.account_attribute", g.AccountAttribute)
	} else if g != nil {
		w.str("group.container", g.Container)
		w.str("group.name_attribute", g.NameAttribute)
		w.str("group.member_attribute", g.MemberAttribute)
		w.str("group.member_value", g.MemberValue)
		w.strings("group.declared", g.Declared)
		if g.Attributes != nil { // only when set: a state applied before it existed sees no change
			w.expr("group.attributes", g.Attributes)
		}
	}
	for _, a := range ot.Associations {
		aw := w.at("association." + a.Name)
		aw.str("entitlement", a.Entitlement)
		aw.bool("tolerant", a.Tolerant)
		aw.expr("groups", a.Groups)
	}
}
