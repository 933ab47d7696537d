package planner

import (
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// Desired returns the canonical definition of every resource, schedule and
// task in cfg, by address. revision is the configuration revision (a git
// commit, or "" for a working directory) recorded on each definition; key
// is the state's secret key, which keys the fingerprints of sensitive
// values (state.Snapshot.Key).
//
// A definition whose kept expressions (mappings, correlation, conditions,
// filters) read variables or locals carries their values as well, at the
// paths var.NAME and local.NAME: the values are part of what is applied, so
// changing one is a change of every definition that reads it.
//
// cfg must have loaded without errors and with every variable set: a value
// that is not known yet is an error, because a plan must show exactly what
// an apply stores.
func Desired(cfg *config.Config, revision string, key state.SecretKey) (map[string]*state.Definition, error) {
	return desired(cfg, revision, key, false)
}

// DesiredWithoutSecrets is Desired for a configuration loaded without its
// secrets (config.LoadOptions.AllowUnsetVariables), as syncline diff loads
// the two sides of a pull request: a sensitive value that is not known — a
// sensitive variable without a value, env() of an unset variable — renders
// as UnknownSensitive, shown as "(sensitive value)" like any secret, so it
// compares equal to itself. Every other value must still be known, because
// a setting that came from an unset variable would silently keep its
// default. The result is for comparing two configurations, never for
// storing; key is then an ephemeral key (state.EphemeralKey), used for
// both sides.
func DesiredWithoutSecrets(cfg *config.Config, revision string, key state.SecretKey) (map[string]*state.Definition, error) {
	return desired(cfg, revision, key, true)
}

func desired(cfg *config.Config, revision string, key state.SecretKey, unknownSecrets bool) (map[string]*state.Definition, error) {
	if cfg == nil {
		return nil, errors.New("planner: no configuration")
	}
	if len(key) == 0 {
		return nil, errors.New("planner: no secret key to fingerprint sensitive values with")
	}
	if err := checkVariablesKnown(cfg, unknownSecrets); err != nil {
		return nil, err
	}
	var jobs []desiredJob
	for _, name := range config.SortedNames(cfg.Resources) {
		r := cfg.Resources[name]
		jobs = append(jobs, desiredJob{config.KindResource, name, r.DeclRange, func(w specWriter) { resourceSpec(w, r) }})
	}
	for _, name := range config.SortedNames(cfg.Schedules) {
		s := cfg.Schedules[name]
		jobs = append(jobs, desiredJob{config.KindSchedule, name, s.DeclRange, func(w specWriter) { scheduleSpec(w, s) }})
	}
	for _, name := range config.SortedNames(cfg.Tasks) {
		t := cfg.Tasks[name]
		jobs = append(jobs, desiredJob{config.KindTask, name, t.DeclRange, func(w specWriter) { taskSpec(w, t) }})
	}
	built := buildDesired(jobs, func() *desiredBuilder {
		return &desiredBuilder{cfg: cfg, revision: revision, key: key, unknownSecrets: unknownSecrets,
			formatted: map[string]string{}, readNames: map[string][]string{}}
	})
	out := make(map[string]*state.Definition, len(jobs))
	var errs []error
	for i, b := range built {
		addr := jobs[i].kind + "." + jobs[i].name
		for _, err := range b.errs {
			errs = append(errs, fmt.Errorf("%s: %w", addr, err))
		}
		out[addr] = b.def
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// desiredJob is one definition to build: write writes its spec.
type desiredJob struct {
	kind, name string
	decl       hcl.Range
	write      func(specWriter)
}

// builtDefinition is a desiredJob done: the definition, or why it could
// not be built.
type builtDefinition struct {
	def  *state.Definition
	errs []error
}

// desiredWorkers is how many goroutines build definitions at most.
var desiredWorkers = runtime.GOMAXPROCS(0)

// buildDesired builds every job's definition, in parallel on up to
// desiredWorkers goroutines, each with a builder of its own (newBuilder);
// the results are in the order of jobs.
func buildDesired(jobs []desiredJob, newBuilder func() *desiredBuilder) []builtDefinition {
	built := make([]builtDefinition, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(desiredWorkers, len(jobs)/64)) {
		wg.Go(func() {
			d := newBuilder()
			for i := int(next.Add(1) - 1); i < len(jobs); i = int(next.Add(1) - 1) {
				built[i] = d.build(jobs[i])
			}
		})
	}
	wg.Wait()
	return built
}

type desiredBuilder struct {
	cfg            *config.Config
	revision       string
	key            state.SecretKey
	unknownSecrets bool
	formatted      map[string]string   // see specWriter.formatted
	readNames      map[string][]string // see specWriter.readNames
	strs           specStrings         // see specWriter.strs
	hasher         specHasher
}

// build builds one definition.
func (d *desiredBuilder) build(job desiredJob) builtDefinition {
	var errs []error
	w := newSpecWriter(job.kind, d.cfg.Files, d.formatted, &errs, d.key)
	w.spec = make(map[string]string, d.strs.sizeHint(job.kind))
	w.strs = &d.strs
	w.readNames = d.readNames
	w.unknownSecrets = d.unknownSecrets
	job.write(w)
	d.writeReads(w)
	d.strs.sized(job.kind, len(w.spec))
	return builtDefinition{errs: errs, def: &state.Definition{
		Kind:       job.kind,
		Name:       job.name,
		Spec:       w.spec,
		Hash:       d.hasher.hash(w.spec),
		SourceFile: job.decl.Filename,
		SourceLine: job.decl.Start.Line,
		Revision:   d.revision,
	}}
}

// checkVariablesKnown refuses a configuration loaded with unset variables:
// settings that came from them would silently keep their defaults. With
// unknownSecrets, sensitive variables may be unset: no setting that shapes
// behaviour may come from them.
func checkVariablesKnown(cfg *config.Config, unknownSecrets bool) error {
	var errs []error
	for _, name := range config.SortedNames(cfg.Variables) {
		v := cfg.Variables[name]
		if unknownSecrets && v.Sensitive {
			continue
		}
		if v.Value == cty.NilVal || !v.Value.IsWhollyKnown() {
			errs = append(errs, fmt.Errorf("variable %q has no value; plan and apply need every variable set (-var, -var-file or SYNCLINE_VAR_%s)", name, name))
		}
	}
	return errors.Join(errs...)
}

// writeReads writes the value of every variable and local that w's kept
// expressions read, at var.NAME and local.NAME.
func (d *desiredBuilder) writeReads(w specWriter) {
	for _, name := range slices.Sorted(maps.Keys(w.reads)) {
		switch name {
		case "var.*":
			for _, v := range config.SortedNames(d.cfg.Variables) {
				w.value("var."+v, d.cfg.Variables[v].Value, false)
			}
		case "local.*":
			for _, l := range config.SortedNames(d.cfg.Locals) {
				w.value("local."+l, d.cfg.Locals[l].Value, false)
			}
		default:
			w.value(name, d.readValue(name), false)
		}
	}
}

// readValue is the value of "var.NAME" or "local.NAME"; the loader has
// checked that every reference names a declared one.
func (d *desiredBuilder) readValue(name string) cty.Value {
	root, n, _ := strings.Cut(name, ".")
	if root == "var" {
		if v := d.cfg.Variables[n]; v != nil {
			return v.Value
		}
		return cty.NilVal
	}
	if l := d.cfg.Locals[n]; l != nil {
		return l.Value
	}
	return cty.NilVal
}
