package catalog

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
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
	for _, dep := range dependencies(c.cfg, t) {
		if c.differs(dep) {
			return c.differsError(name, dep)
		}
	}
	return nil
}

// dependencies are the addresses whose applied definitions a run of t
// uses: the task itself, its named schedule and its activities' resources
// — every resource of cfg when an activity synchronizes, because a
// synchronization provisions to every resource whose object types map a
// user outbound.
func dependencies(cfg *config.Config, t *config.Task) []string {
	deps := []string{taskAddr(t.Name)}
	if t.ScheduleRef != nil {
		deps = append(deps, t.ScheduleRef.Address.String())
	}
	if slices.ContainsFunc(t.Activities, synchronizes) {
		for _, name := range config.SortedNames(cfg.Resources) {
			deps = append(deps, config.KindResource+"."+name)
		}
		return deps
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
	if values := c.differingValues(dep); len(values) > 0 {
		detail += ": " + strings.Join(values, "; ")
	}
	return &TaskError{Task: task, Err: ErrNotRunnable, Detail: detail, Hint: applyHint}
}

// differingValues says which variables and locals read by the definition
// at addr have other values than those applied, as in `var.app_domain is
// "example.org", applied "example.com"`; a sensitive one is named without
// its value.
func (c *Catalog) differingValues(addr string) []string {
	want, have := c.desired[addr], c.stored[addr]
	if want == nil || have == nil {
		return nil
	}
	var out []string
	for _, path := range sortedKeys(want.Spec, have.Spec) {
		if !strings.HasPrefix(path, "var.") && !strings.HasPrefix(path, "local.") {
			continue
		}
		now, applied := want.Spec[path], have.Spec[path]
		switch {
		case now == applied:
		case applied == "" && planner.IsSensitive(now):
			out = append(out, fmt.Sprintf("the sensitive %s is not in the applied definition", path))
		case applied == "":
			out = append(out, fmt.Sprintf("%s = %s is not in the applied definition", path, now))
		case now == "":
			out = append(out, fmt.Sprintf("%s is no longer read", path))
		case planner.IsSensitive(now) || planner.IsSensitive(applied):
			out = append(out, fmt.Sprintf("the sensitive %s has another value than the one applied", path))
		default:
			out = append(out, fmt.Sprintf("%s is %s, applied %s", path, now, applied))
		}
	}
	return out
}

// sortedKeys returns the keys of both maps, sorted, once each.
func sortedKeys(a, b map[string]string) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func (c *Catalog) notRunnable(task, detail string) error {
	return &TaskError{Task: task, Err: ErrNotRunnable, Detail: detail, Hint: applyHint}
}

// synchronizes reports whether a is a synchronization activity, which
// reaches every resource (engine/synchronization's world).
func synchronizes(a *config.Activity) bool {
	switch a.Type {
	case config.ActivityImport, config.ActivityReconciliation, config.ActivityLiveSync,
		config.ActivityAsyncUpdate, config.ActivityPropagation, config.ActivityRecompute:
		return true
	}
	return false
}
