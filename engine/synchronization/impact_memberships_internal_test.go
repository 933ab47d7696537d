package synchronization

import (
	"slices"
	"testing"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// appliedAssociations reads only the association paths of a spec, in
// order, and skips resources that have none, whatever else they hold.
func TestAppliedAssociationsReadsOnlyAssociations(t *testing.T) {
	t.Parallel()
	spec := map[string]string{
		"connector": `"ldap"`,
		"object_type.account/default.association.staff.groups":      `["cn=staff"]`,
		"object_type.account/default.association.staff.entitlement": `"group"`,
		"object_type.account/default.association.admins.groups":     `["cn=admins"]`,
		"object_type.account/default.associations":                  `"not one"`,
		"object_type.account/default.mapping.association.source":    `"not one either"`,
		"mapping.association.x.groups":                              `["not under an object type"]`,
		"var.team":                                                  `"ops"`,
	}
	defs := map[string]*state.Definition{
		"resource.b":   {Kind: config.KindResource, Name: "b", Spec: spec},
		"resource.a":   {Kind: config.KindResource, Name: "a", Spec: map[string]string{"connector": `"csv"`, "var.team": `"ops"`}},
		"task.t":       {Kind: config.KindTask, Name: "t", Spec: spec},
		"resource.csv": {Kind: config.KindResource, Name: "csv", Spec: map[string]string{}},
	}
	got := appliedAssociations(defs)
	var names []string
	for _, a := range got {
		names = append(names, a.resource+" "+a.kind+"/"+a.intent+" "+a.name+" "+a.entitlement)
		if a.err != nil || a.groups == nil || a.scope["var"].GetAttr("team").AsString() != "ops" {
			t.Errorf("%s: err %v, groups %v, scope %v", a.address(), a.err, a.groups, a.scope)
		}
	}
	want := []string{"b account/default admins ", "b account/default staff group"}
	if !slices.Equal(names, want) {
		t.Errorf("associations %q, want %q", names, want)
	}
}
