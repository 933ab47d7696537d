package synchronization

import "sync"

// tally counts outcomes locally and hands them to a Recorder in bulk, so
// that a hundred thousand unchanged objects cost a hundred thousand
// increments, not a hundred thousand locked map updates.
type tally struct {
	success, skipped int64
	stats            map[string]int64
	n                int
}

const tallyFlushEvery = 1024

func (t *tally) stat(name string) {
	if t.stats == nil {
		t.stats = map[string]int64{}
	}
	t.stats[name]++
}

// tick counts one object and flushes every tallyFlushEvery objects.
func (t *tally) tick(rec Recorder) {
	t.n++
	if t.n >= tallyFlushEvery {
		t.flush(rec)
	}
}

func (t *tally) flush(rec Recorder) {
	if t.success > 0 {
		rec.AddSuccess(t.success)
	}
	if t.skipped > 0 {
		rec.AddSkipped(t.skipped)
	}
	for k, v := range t.stats {
		rec.AddStatistic(k, v)
	}
	t.success, t.skipped, t.n = 0, 0, 0
	clear(t.stats)
}

// errorCounter guards the safety's error count for several goroutines.
type errorCounter struct {
	mu sync.Mutex
	s  *safety
}

// left returns how many more object errors the error policy allows, the
// one that stops the activity included, or -1 when it never stops it (c
// nil: no policy).
func (c *errorCounter) left() int {
	if c == nil {
		return -1
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch p := c.s.policy; {
	case p.Action == "stop":
		return 1
	case p.StopAfter > 0:
		return max(p.StopAfter-c.s.errors, 0)
	}
	return -1
}

func (c *errorCounter) add() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s.addError()
}
