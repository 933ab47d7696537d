package engine

import (
	"fmt"

	"github.com/syncline/syncline/config"
)

// check says why the task called name may not run, or nil.
func (c *Catalog) check(name string) error {
	addr := taskAddr(name)
	t, configured := c.cfg.Tasks[name]
	_, applied := c.stored[addr]
	switch {
	case !configured && !applied:
		return c.unknown(name)
	case !configured:
		return c.notRunnable(name, fmt.Sprintf("%s is applied but no longer in %s", addr, c.dir))
	case !applied:
		return c.notRunnable(name, fmt.Sprintf("%s in %s is not applied yet", addr, c.dir))
	}
	for _, dep := range dependencies(t) {
		if c.differs(dep) {
			return c.differsError(name, dep)
		}
	}
	return nil
}

// dependencies are the addresses whose applied definitions a run of t
// uses: the task itself, its named schedule and its activities' resources.
func dependencies(t *config.Task) []string {
	deps := []string{taskAddr(t.Name)}
	if t.ScheduleRef != nil {
		deps = append(deps, t.ScheduleRef.Address.String())
	}
	seen := map[string]bool{}
	for _, a := range t.Activities {
		if a.Resource == nil {
			continue
		}
		if addr := a.Resource.Address.String(); !seen[addr] {
			seen[addr] = true
			deps = append(deps, addr)
		}
	}
	return deps
}

// differs reports whether the configured and applied definitions at addr
// are not the same (one of them missing counts as different).
func (c *Catalog) differs(addr string) bool {
	want, have := c.desired[addr], c.stored[addr]
	return want == nil || have == nil || want.Hash != have.Hash
}

func (c *Catalog) differsError(task, dep string) error {
	detail := fmt.Sprintf("%s in %s differs from the applied definition", dep, c.dir)
	if dep != taskAddr(task) {
		detail = fmt.Sprintf("%s (used by %s) in %s differs from the applied definition", dep, taskAddr(task), c.dir)
	}
	return &TaskError{Task: task, Err: ErrNotRunnable, Detail: detail, Hint: applyHint}
}

func (c *Catalog) notRunnable(task, detail string) error {
	return &TaskError{Task: task, Err: ErrNotRunnable, Detail: detail, Hint: applyHint}
}
