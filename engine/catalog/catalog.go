package catalog

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// Catalog is what the engine may run: the configuration loaded from a
// directory, checked against the applied definitions. A task is runnable
// only when its canonical definition — and those of the named schedule and
// the resources it uses — hash the same as what apply stored: what runs is
// what was applied, never an unreviewed edit in the working directory.
//
// A Catalog is immutable and safe for concurrent use.
type Catalog struct {
	dir     string
	cfg     *config.Config
	desired map[string]*state.Definition
	stored  map[string]*state.Definition
	serial  int64
	// dependents maps a task name to the tasks whose after lists it.
	dependents map[string][]*config.Task
	// problems holds, per configured or applied task, why it may not run;
	// a runnable task has no entry.
	problems map[string]error
}

// Load loads the configuration in dir, computes its canonical
// definitions (fingerprinting secrets with the state's key, snap.Key) and
// checks each task against snap, the stored state. A configuration that
// does not load is a *ConfigError.
func Load(dir string, opts config.LoadOptions, snap *state.Snapshot) (*Catalog, error) {
	if snap == nil || len(snap.Key) == 0 {
		return nil, errors.New("engine: a catalog needs a snapshot of the state, with its key")
	}
	cfg, diags := config.LoadDir(dir, opts)
	if diags.HasErrors() {
		return nil, &ConfigError{Dir: dir, Diagnostics: diags}
	}
	desired, err := planner.Desired(cfg, "", snap.Key)
	if err != nil {
		return nil, fmt.Errorf("the configuration in %s: %w", dir, err)
	}
	c := &Catalog{dir: dir, cfg: cfg, desired: desired, dependents: map[string][]*config.Task{}}
	for _, t := range c.Tasks() {
		for _, ref := range t.After {
			c.dependents[ref.Name] = append(c.dependents[ref.Name], t)
		}
	}
	return c.WithSnapshot(snap), nil
}

// WithSnapshot returns the same configuration checked against another
// snapshot, as when a newer apply lands but the files did not load.
func (c *Catalog) WithSnapshot(snap *state.Snapshot) *Catalog {
	out := &Catalog{dir: c.dir, cfg: c.cfg, desired: c.desired, dependents: c.dependents,
		stored: map[string]*state.Definition{}, problems: map[string]error{}}
	if snap != nil {
		out.serial = snap.Serial
		if snap.Definitions != nil {
			out.stored = snap.Definitions
		}
	}
	for _, name := range out.allNames() {
		if err := out.check(name); err != nil {
			out.problems[name] = err
		}
	}
	return out
}

// Dir is the configuration directory, as given to Load.
func (c *Catalog) Dir() string { return c.dir }

// Config is the loaded configuration.
func (c *Catalog) Config() *config.Config { return c.cfg }

// Serial is the state serial the catalog was checked against.
func (c *Catalog) Serial() int64 { return c.serial }

// Tasks returns the configured tasks sorted by name, runnable or not.
func (c *Catalog) Tasks() []*config.Task {
	out := make([]*config.Task, 0, len(c.cfg.Tasks))
	for _, name := range config.SortedNames(c.cfg.Tasks) {
		out = append(out, c.cfg.Tasks[name])
	}
	return out
}

// Task returns the configured task called name. A name that is neither
// configured nor applied is an ErrUnknownTask listing the task names; a
// task that is applied but no longer configured, or configured but not
// applied, is an ErrNotRunnable. Use Check to know whether it may run.
func (c *Catalog) Task(name string) (*config.Task, error) {
	t, configured := c.cfg.Tasks[name]
	_, applied := c.stored[taskAddr(name)]
	switch {
	case !configured && !applied:
		return nil, c.unknown(name)
	case !configured:
		return nil, c.problems[name]
	case !applied:
		return nil, c.problems[name]
	}
	return t, nil
}

// Check returns nil when the task may run: it is configured, applied, and
// neither it nor its named schedule nor the resources its activities use
// differ from the applied definitions.
func (c *Catalog) Check(name string) error {
	if _, err := c.Task(name); err != nil {
		return err
	}
	return c.problems[name]
}

// Problem says why the task called name may not run, as Check does, but
// only for a task the catalog knows (configured or applied): nil for any
// other name. The scheduler reads it with the task's runtime record.
func (c *Catalog) Problem(name string) error { return c.problems[name] }

// Dependents returns the configured tasks whose after lists the task
// called name, sorted by name.
func (c *Catalog) Dependents(name string) []*config.Task { return c.dependents[name] }

// Revision is the configuration revision the task's applied definition
// came from ("" for a working directory).
func (c *Catalog) Revision(name string) string {
	if d := c.stored[taskAddr(name)]; d != nil {
		return d.Revision
	}
	return ""
}

// Names returns every task name configured or applied, sorted.
func (c *Catalog) Names() []string { return c.allNames() }

func (c *Catalog) allNames() []string {
	seen := map[string]bool{}
	for name := range c.cfg.Tasks {
		seen[name] = true
	}
	for _, d := range c.stored {
		if d.Kind == config.KindTask {
			seen[d.Name] = true
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (c *Catalog) unknown(name string) error {
	names := c.allNames()
	detail := fmt.Sprintf("there is no task %q in %s or in the state", name, c.dir)
	if len(names) == 0 {
		detail += "; no tasks are defined"
	} else {
		detail += "; the tasks are " + strings.Join(names, ", ")
	}
	return &TaskError{Task: name, Err: ErrUnknownTask, Detail: detail}
}

func taskAddr(name string) string { return config.KindTask + "." + name }
