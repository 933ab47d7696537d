package synchronization

import (
	"maps"
	"slices"

	"github.com/syncline/syncline/state"
)

// precorrelation holds a batch's correlation, found with one query for
// the objects that had no shadow when the pass began, instead of one
// query each.
type precorrelation struct {
	attr  string
	found map[string][]int64
	// dirty values must be looked up again: several objects of the batch
	// share them, or an earlier object's user took or left them.
	dirty map[string]bool
}

// precorrelate correlates batch at once when the type's rule matches on
// one indexed attribute; nil otherwise.
func (p *pass) precorrelate(r *state.RepositoryTx, batch []*item) (*precorrelation, error) {
	if len(p.rt.ot.Correlate) != 1 {
		return nil, nil
	}
	pc := &precorrelation{attr: p.rt.ot.Correlate[0].Target, dirty: map[string]bool{}}
	seen := map[string]bool{}
	var values []string
	for _, it := range batch {
		if it.known || it.deleted != nil || it.corr == nil {
			continue
		}
		v := it.corr[pc.attr]
		if seen[v] {
			pc.dirty[v] = true
			continue
		}
		seen[v] = true
		values = append(values, v)
	}
	if len(values) < 2 {
		return nil, nil // nothing to gain
	}
	// A batch larger than a query takes is looked up a query's worth at
	// a time: the values are distinct, so the answers merge.
	for chunk := range slices.Chunk(values, state.MaxFindValues) {
		found, ok, err := r.FindUsersByValues(pc.attr, chunk)
		if err != nil || !ok {
			return nil, err
		}
		if pc.found == nil {
			pc.found = found
			continue
		}
		maps.Copy(pc.found, found)
	}
	return pc, nil
}

// lookup returns the users correlated to it, and whether the batch's
// query answers for it.
func (pc *precorrelation) lookup(it *item) ([]int64, bool) {
	if pc == nil || it.known || it.deleted != nil {
		return nil, false
	}
	v, ok := it.corr[pc.attr]
	if !ok || pc.dirty[v] {
		return nil, false
	}
	return pc.found[v], true
}

// touched marks the values a changed user held before and holds after.
func (pc *precorrelation) touched(users ...*state.User) {
	if pc == nil {
		return
	}
	for _, u := range users {
		if u == nil {
			continue
		}
		if pc.attr == "name" {
			pc.dirty[u.Name] = true
		} else if v, ok := u.Attributes[pc.attr]; ok {
			pc.dirty[v] = true
		}
	}
}
