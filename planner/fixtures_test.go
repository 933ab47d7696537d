package planner

import (
	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/state"
)

// The fixtures shared with the views' tests live in internal/plantest.
const testSecret = plantest.Secret

var (
	baseFiles = plantest.BaseFiles
	secretVar = plantest.SecretVar
	edit      = plantest.Edit
)

// changeAt returns the change at addr, or nil.
func changeAt(p *Plan, addr string) *Change {
	for i := range p.Changes {
		if p.Changes[i].Address == addr {
			return &p.Changes[i]
		}
	}
	return nil
}

// attributeAt returns the attribute change at path, or nil.
func attributeAt(c *Change, path string) *AttributeChange {
	for i := range c.Attributes {
		if c.Attributes[i].Path == path {
			return &c.Attributes[i]
		}
	}
	return nil
}

// storedFrom is the snapshot an apply of files would leave behind.
func storedFrom(t tb, files map[string]string, vars ...string) *state.Snapshot {
	t.Helper()
	return snapshotOf(mustDesired(t, files, vars...), 7)
}
