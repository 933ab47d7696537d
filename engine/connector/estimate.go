package connector

import "context"

// Estimator is an optional capability: a connector that can tell, cheaply
// and before searching, about how many objects a search will stream. The
// synchronization uses it as the total of an activity's progress, so that
// a person watching a long import sees how far it got and how long it has
// left. A connector implements it only when the answer costs little next
// to the search itself (a csv file estimates from its size, a sql table
// counts its rows); an ldap directory does not, since counting entries
// costs a search of its own.
type Estimator interface {
	// Estimate returns how many objects Search(ctx, q) would stream,
	// objects that cannot be read included, and whether that number is
	// exact (a count) or an estimate that may be off either way.
	Estimate(ctx context.Context, q Query) (n int64, exact bool, err error)
}

// Estimate asks c how many objects a search for q would stream; n is -1
// (unknown) when c has no Estimator capability.
func Estimate(ctx context.Context, c Connector, q Query) (n int64, exact bool, err error) {
	e, ok := c.(Estimator)
	if !ok {
		return -1, false, nil
	}
	return e.Estimate(ctx, q)
}
