package synchronization

import (
	"maps"
	"slices"
	"sync"

	"github.com/syncline/syncline/state"
)

// bucketRecorder counts one bucket's pass in memory; its result is
// stored with the bucket when it is done, and the run adds it to the
// activity's counts.
type bucketRecorder struct {
	mu  sync.Mutex
	res state.BucketResult
}

func (r *bucketRecorder) update(f func(*state.BucketResult)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.res)
}

func (r *bucketRecorder) SetTotal(n int64) { r.update(func(b *state.BucketResult) { b.Total = n }) }

func (r *bucketRecorder) AddSuccess(n int64) {
	r.update(func(b *state.BucketResult) { b.Success += n })
}

func (r *bucketRecorder) AddSkipped(n int64) {
	r.update(func(b *state.BucketResult) { b.Skipped += n })
}

func (r *bucketRecorder) AddItemError(item, category string, err error) {
	r.update(func(b *state.BucketResult) {
		b.Failure++
		if len(b.Errors) < state.MaxItemErrors {
			b.Errors = append(b.Errors, state.ItemError{Item: item, Category: category, Message: err.Error()})
		}
	})
}

func (r *bucketRecorder) AddStatistic(name string, delta int64) {
	r.update(func(b *state.BucketResult) {
		if b.Statistics == nil {
			b.Statistics = map[string]int64{}
		}
		b.Statistics[name] += delta
	})
}

// SetOutput drops the output: a bucket's pass sets none the run shows.
func (r *bucketRecorder) SetOutput(string, string) {}

// result returns a copy of what the bucket counted.
func (r *bucketRecorder) result() state.BucketResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.res
	out.Statistics = maps.Clone(r.res.Statistics)
	out.Errors = slices.Clone(r.res.Errors)
	return out
}
