package planner

import (
	"slices"

	"github.com/syncline/syncline/state"
)

// replacingPaths are the identity-defining attributes of each kind: a change
// to one of them replaces the definition instead of updating it.
var replacingPaths = map[string]map[string]bool{
	"resource": {"connector": true},
}

// diffAttributes lists the attributes that differ between two specs (either
// may be nil), in path order. Sensitive values are shown redacted; their
// fingerprints still tell whether they changed.
func diffAttributes(kind string, before, after map[string]string) []AttributeChange {
	paths := make([]string, 0, len(after))
	for p, a := range after {
		if b, ok := before[p]; !ok || b != a {
			paths = append(paths, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.SortFunc(paths, comparePaths)
	changes := make([]AttributeChange, len(paths))
	for i, p := range paths {
		changes[i] = attributeChange(kind, p, before, after)
	}
	return changes
}

func attributeChange(kind, path string, before, after map[string]string) AttributeChange {
	b, hadBefore := before[path]
	a, hasAfter := after[path]
	c := AttributeChange{Path: path, Before: display(b), After: display(a), Sensitive: IsSensitive(b) || IsSensitive(a)}
	switch {
	case !hadBefore:
		c.Action = Create
	case !hasAfter:
		c.Action = Delete
	default:
		c.Action = Update
		c.ForcesReplace = replacingPaths[kind][path]
	}
	return c
}

// forcesReplace reports whether any change replaces the definition.
func forcesReplace(changes []AttributeChange) bool {
	return slices.ContainsFunc(changes, func(c AttributeChange) bool { return c.ForcesReplace })
}

// specOf returns d's spec, or nil for a missing definition.
func specOf(d *state.Definition) map[string]string {
	if d == nil {
		return nil
	}
	return d.Spec
}
