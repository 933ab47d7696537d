package connector

import "github.com/syncline/syncline/config"

// WriteOnlyFunc is an optional capability of a connector's registration:
// it says whether attr is write-only on res — written, never read back
// (LDAP's userPassword). The engine then never caches, compares or shows
// its value: a shadow keeps a fingerprint of what was written, and run
// changes say "(write-only)".
type WriteOnlyFunc func(res *config.Resource, attr string) bool

// WriteOnlyRegistry maps connector names to their WriteOnlyFunc; a
// connector that is not in it reads back everything it writes.
type WriteOnlyRegistry map[string]WriteOnlyFunc

// WriteOnly reports whether attr is write-only on res, as its connector
// says.
func (r WriteOnlyRegistry) WriteOnly(res *config.Resource, attr string) bool {
	if f, ok := r[res.Connector]; ok && f != nil {
		return f(res, attr)
	}
	return false
}
