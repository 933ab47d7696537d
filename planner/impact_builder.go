package planner

import (
	"cmp"
	"slices"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// DefaultImpactSamples is how many identities per kind of change an
// impact names unless told otherwise.
const DefaultImpactSamples = 5

// ImpactSource is the object type whose synchronization decided a change
// (its reconciliation, import or live sync would make it), or the zero
// value for a recompute of the users.
type ImpactSource struct{ Resource, Kind, Intent string }

// ImpactBuilder gathers what an impact evaluator reports, one change at a
// time, into an Impact, in memory bounded by the number of object types,
// attributes and samples, not of identities. It is not safe for
// concurrent use.
type ImpactBuilder struct {
	samples   int
	imp       Impact
	types     map[ImpactSource]*TypeImpact
	typeAttrs map[ImpactSource]map[string]int
	userAttrs map[string]int
	perKind   map[string]int
	// bySource counts what each source's activity would count against
	// its thresholds.
	bySource map[ImpactSource]*ImpactCounts
}

// NewImpactBuilder returns a builder that keeps up to samples identities
// per kind of change (none when samples < 0; DefaultImpactSamples when 0).
func NewImpactBuilder(samples int) *ImpactBuilder {
	switch {
	case samples == 0:
		samples = DefaultImpactSamples
	case samples < 0:
		samples = 0
	}
	return &ImpactBuilder{samples: samples, types: map[ImpactSource]*TypeImpact{},
		typeAttrs: map[ImpactSource]map[string]int{}, userAttrs: map[string]int{},
		perKind: map[string]int{}, bySource: map[ImpactSource]*ImpactCounts{}}
}

// Evaluated adds to the numbers of users and shadows looked at.
func (b *ImpactBuilder) Evaluated(users, shadows int) {
	b.imp.Users += users
	b.imp.Shadows += shadows
}

// Truncate records why the evaluation stopped early (the first reason
// stays).
func (b *ImpactBuilder) Truncate(reason string) {
	if b.imp.Truncated == "" {
		b.imp.Truncated = reason
	}
}

// Note adds a note for the reviewer.
func (b *ImpactBuilder) Note(note string) { b.imp.Notes = append(b.imp.Notes, note) }

// Change adds one change as a run of the configuration would record it
// (state.RunChange), decided by src.
func (b *ImpactBuilder) Change(src ImpactSource, c state.RunChange) {
	kind := changeKind(c)
	if kind == "" {
		return
	}
	b.count(src, c.Resource, c.Kind, c.Intent, kind)
	if c.Object == "user" {
		if kind == ImpactUserAdd || kind == ImpactUserModify || kind == ImpactUserDisable || kind == ImpactUserEnable {
			for _, a := range c.Attributes {
				b.userAttrs[a.Name]++
			}
		}
	} else if kind != ImpactCreate && kind != ImpactDelete {
		t := ImpactSource{c.Resource, c.Kind, c.Intent}
		attrs := b.typeAttrs[t]
		if attrs == nil {
			attrs = map[string]int{}
			b.typeAttrs[t] = attrs
		}
		if c.Object == "membership" {
			attrs[c.Identifier]++ // by group
		} else {
			for _, a := range c.Attributes {
				attrs[a.Name]++
			}
		}
	}
	b.sample(kind, func() ImpactSample {
		s := ImpactSample{Kind: kind, User: c.User, Resource: c.Resource, ObjectKind: c.Kind, Intent: c.Intent,
			Identifier: c.Identifier, NewIdentifier: c.NewIdentifier}
		for _, a := range c.Attributes {
			s.Attributes = append(s.Attributes, impactAttribute(a))
		}
		return s
	})
}

// Situation adds an object whose situation would change from before to
// after.
func (b *ImpactBuilder) Situation(src ImpactSource, identifier, user, before, after string) {
	b.count(src, src.Resource, src.Kind, src.Intent, ImpactSituation)
	b.sample(ImpactSituation, func() ImpactSample {
		return ImpactSample{Kind: ImpactSituation, User: user, Resource: src.Resource, ObjectKind: src.Kind,
			Intent: src.Intent, Identifier: identifier, SituationBefore: before, SituationAfter: after}
	})
}

// Error adds an object the configuration would fail on.
func (b *ImpactBuilder) Error(src ImpactSource, identifier, user, message string) {
	b.count(src, src.Resource, src.Kind, src.Intent, ImpactError)
	b.sample(ImpactError, func() ImpactSample {
		return ImpactSample{Kind: ImpactError, User: user, Resource: src.Resource, ObjectKind: src.Kind,
			Intent: src.Intent, Identifier: identifier, Error: message}
	})
}

// Unmanaged adds n shadows of an object type (kind "" for a whole
// resource) the configuration no longer has.
func (b *ImpactBuilder) Unmanaged(resource, kind, intent string, n int) {
	t := b.typeImpact(resource, kind, intent)
	t.Counts.Unmanaged += n
	b.imp.Totals.Unmanaged += n
}

func (b *ImpactBuilder) count(src ImpactSource, resource, kind, intent, what string) {
	*b.imp.Totals.field(what)++
	if resource != "" {
		*b.typeImpact(resource, kind, intent).Counts.field(what)++
	}
	sc := b.bySource[src]
	if sc == nil {
		sc = &ImpactCounts{}
		b.bySource[src] = sc
	}
	*sc.field(what)++
}

func (b *ImpactBuilder) typeImpact(resource, kind, intent string) *TypeImpact {
	k := ImpactSource{resource, kind, intent}
	t := b.types[k]
	if t == nil {
		t = &TypeImpact{Resource: resource, Kind: kind, Intent: intent}
		b.types[k] = t
	}
	return t
}

func (b *ImpactBuilder) sample(kind string, make func() ImpactSample) {
	if b.perKind[kind] >= b.samples {
		return
	}
	b.perKind[kind]++
	b.imp.Samples = append(b.imp.Samples, make())
}

// Impact returns what was gathered, with the thresholds of cfg's tasks
// the counts exceed (cfg may be nil).
func (b *ImpactBuilder) Impact(cfg *config.Config) *Impact {
	imp := b.imp
	imp.UserAttributes = sortedCounts(b.userAttrs)
	imp.Types = nil
	for k, t := range b.types {
		cp := *t
		cp.Attributes = sortedCounts(b.typeAttrs[k])
		imp.Types = append(imp.Types, cp)
	}
	slices.SortFunc(imp.Types, func(a, b TypeImpact) int {
		return cmp.Or(cmp.Compare(a.Resource, b.Resource), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Intent, b.Intent))
	})
	imp.Samples = slices.Clone(imp.Samples)
	slices.SortStableFunc(imp.Samples, func(a, b ImpactSample) int {
		return cmp.Compare(slices.Index(ImpactKinds, a.Kind), slices.Index(ImpactKinds, b.Kind))
	})
	imp.Thresholds = b.thresholds(cfg)
	if imp.Thresholds == nil {
		imp.Thresholds = []ThresholdExceeded{}
	}
	if imp.Samples == nil {
		imp.Samples = []ImpactSample{}
	}
	return &imp
}

// sortedCounts is m by count, most first, then by name.
func sortedCounts(m map[string]int) []AttributeCount {
	out := make([]AttributeCount, 0, len(m))
	for name, n := range m {
		out = append(out, AttributeCount{Name: name, Count: n})
	}
	slices.SortFunc(out, func(a, b AttributeCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// changeKind is the impact kind of a run change, or "" for one that is
// not a change of an identity.
func changeKind(c state.RunChange) string {
	if c.Error != "" {
		return ImpactError
	}
	switch c.Object {
	case "user":
		return userOpKinds[c.Op]
	case "membership":
		return memberOpKinds[c.Op]
	}
	return accountOpKinds[c.Op]
}

var (
	userOpKinds = map[string]string{"add": ImpactUserAdd, "modify": ImpactUserModify, "disable": ImpactUserDisable,
		"enable": ImpactUserEnable, "delete": ImpactUserDelete, "link": ImpactLink, "unlink": ImpactUnlink}
	accountOpKinds = map[string]string{"create": ImpactCreate, "modify": ImpactModify, "rename": ImpactRename,
		"disable": ImpactDisable, "delete": ImpactDelete, "link": ImpactLink}
	memberOpKinds = map[string]string{"add": ImpactMemberAdd, "remove": ImpactMemberRemove, "tolerate": ImpactMemberTolerate}
)

// impactAttribute copies a run change's attribute; values a run shows
// redacted (write-only attributes) stay redacted.
func impactAttribute(a state.AttributeChange) ImpactAttribute {
	out := ImpactAttribute{Name: a.Name, Before: slices.Clone(a.Before), After: slices.Clone(a.After)}
	if isRedacted(a.Before) || isRedacted(a.After) {
		out.Before, out.After, out.Sensitive = nil, nil, true
	}
	return out
}

func isRedacted(vs []string) bool {
	for _, v := range vs {
		if IsSensitive(v) || v == RedactedValue || v == WriteOnlyShown {
			return true
		}
	}
	return false
}

// WriteOnlyShown is how run changes show a write-only attribute's value
// (engine/synchronization); an impact never keeps it.
const WriteOnlyShown = "(write-only)"

// UnmanagedResources adds the shadows of the resources counts names
// (resource → shadows, as state.Snapshot.ShadowCounts has them) that cfg
// no longer has.
func (b *ImpactBuilder) UnmanagedResources(cfg *config.Config, counts map[string]int) {
	names := make([]string, 0, len(counts))
	for name := range counts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if _, ok := cfg.Resources[name]; !ok && counts[name] > 0 {
			b.Unmanaged(name, "", "", counts[name])
		}
	}
}
