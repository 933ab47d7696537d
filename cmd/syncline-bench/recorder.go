package main

import (
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
)

// recorder counts what a synchronization reports: objects that
// succeeded, failed and were skipped, and statistics. It keeps the first
// few errors to explain a failed benchmark.
type recorder struct {
	success, failure, skipped atomic.Int64

	mu     sync.Mutex
	stats  map[string]int64
	errors []string
}

// keptErrors is how many item errors a recorder keeps.
const keptErrors = 10

func newRecorder() *recorder { return &recorder{stats: map[string]int64{}} }

func (r *recorder) SetTotal(int64)           {}
func (r *recorder) SetOutput(string, string) {}
func (r *recorder) AddSuccess(n int64)       { r.success.Add(n) }
func (r *recorder) AddSkipped(n int64)       { r.skipped.Add(n) }

func (r *recorder) AddItemError(item, category string, err error) {
	r.failure.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errors) < keptErrors {
		r.errors = append(r.errors, fmt.Sprintf("%s [%s]: %v", item, category, err))
	}
}

func (r *recorder) AddStatistic(name string, delta int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats[name] += delta
}

// statistics returns a copy of the statistics so far.
func (r *recorder) statistics() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.stats)
}

func (r *recorder) itemErrors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}
