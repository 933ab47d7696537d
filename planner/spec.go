package planner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// specWriter writes canonical values into one flat spec under a path
// prefix. Writers made with at share the spec and the error list.
type specWriter struct {
	spec map[string]string
	// kind is the kind of the definition being written.
	kind  string
	files map[string]*hcl.File
	// formatted memoizes exprSource's formatting by source text; shared by
	// every writer of one Desired call.
	formatted map[string]string
	// readNames memoizes readsOf by source text, nil for none; shared by
	// the writers of one Desired worker.
	readNames map[string][]string
	// strs shares the paths and the short renderings that repeat from one
	// definition to the next; nil shares nothing.
	strs   *specStrings
	errs   *[]error
	prefix string
	// unknownSecrets renders a sensitive value that is not known as
	// UnknownSensitive instead of failing (DesiredWithoutSecrets).
	unknownSecrets bool
	// key keys the fingerprints of sensitive values.
	key state.SecretKey
	// reads collects the variables and locals ("var.NAME", "local.NAME")
	// that the kept expressions read; shared by writers made with at.
	reads map[string]bool
}

func newSpecWriter(kind string, files map[string]*hcl.File, formatted map[string]string, errs *[]error, key state.SecretKey) specWriter {
	return specWriter{spec: map[string]string{}, kind: kind, files: files, formatted: formatted, errs: errs, key: key, reads: map[string]bool{}}
}

// at returns a writer for the nested path p: at("retry") writes retry.NAME.
func (w specWriter) at(p string) specWriter {
	w.prefix += p + "."
	return w
}

func (w specWriter) set(path, rendered string) {
	if w.strs == nil {
		w.spec[w.prefix+path] = rendered
		return
	}
	w.spec[w.strs.path(w.prefix, path)] = w.strs.value(rendered)
}

func (w specWriter) str(path, s string) { w.set(path, Quote(s)) }

func (w specWriter) int(path string, n int) { w.set(path, renderInt(n)) }

func (w specWriter) bool(path string, b bool) { w.set(path, renderBool(b)) }

func (w specWriter) duration(path string, d time.Duration) { w.set(path, renderDuration(d)) }

// strings renders a list of strings; nil is the empty list.
func (w specWriter) strings(path string, items []string) { w.set(path, renderStrings(items)) }

// ref renders a reference as kind.name, or null when there is none.
func (w specWriter) ref(path string, r *config.Reference) {
	if r == nil {
		w.set(path, Null)
		return
	}
	w.set(path, r.Address.String())
}

// refs renders references as a sorted list [task.a, task.b]: order in
// after carries no meaning.
func (w specWriter) refs(path string, rs []*config.Reference) {
	items := make([]string, len(rs))
	for i, r := range rs {
		items[i] = r.Address.String()
	}
	slices.Sort(items)
	w.set(path, renderList(items))
}

// expr writes a kept expression's source. Its path must be one that
// keptExpressionPath lists, or the plan's JSON would read it as a value.
func (w specWriter) expr(path string, e hcl.Expression) {
	if !keptExpressionPath(w.kind, w.prefix+path) {
		w.fail(path, fmt.Errorf("internal error: %s %s%s holds an expression but keptExpressionPath does not list it", w.kind, w.prefix, path))
		return
	}
	src, err := exprSource(w.files, w.formatted, e)
	if err != nil {
		w.fail(path, err)
		return
	}
	w.set(path, src)
	for _, name := range w.readsOf(e) {
		w.reads[name] = true
	}
}

// readsOf is what e reads, as noteReads records it, remembered in
// w.readNames by e's source text: the same text reads the same.
func (w specWriter) readsOf(e hcl.Expression) []string {
	if e == nil {
		return nil
	}
	rng := e.Range()
	f := w.files[rng.Filename]
	if w.readNames == nil || f == nil || rng.Start.Byte < 0 || rng.End.Byte > len(f.Bytes) || rng.Start.Byte > rng.End.Byte {
		return noteReads(e)
	}
	raw := f.Bytes[rng.Start.Byte:rng.End.Byte]
	if names, ok := w.readNames[string(raw)]; ok {
		return names
	}
	names := noteReads(e)
	w.readNames[string(raw)] = names
	return names
}

// noteReads returns the variables and locals e reads ("var.NAME",
// "local.NAME"). A reference to the whole var or local object reads every
// one of them ("var.*", "local.*").
func noteReads(e hcl.Expression) []string {
	if e == nil {
		return nil
	}
	var names []string
	for _, t := range e.Variables() {
		root := t.RootName()
		if root != "var" && root != "local" {
			continue
		}
		if len(t) < 2 {
			names = append(names, root+".*")
			continue
		}
		switch step := t[1].(type) {
		case hcl.TraverseAttr:
			names = append(names, root+"."+step.Name)
		case hcl.TraverseIndex:
			if step.Key.Type() == cty.String && step.Key.IsKnown() && !step.Key.IsNull() {
				names = append(names, root+"."+step.Key.AsString())
			} else {
				names = append(names, root+".*")
			}
		default:
			names = append(names, root+".*")
		}
	}
	return names
}

func (w specWriter) value(path string, v cty.Value, secret bool) {
	if w.unknownSecrets && v != cty.NilVal && !v.IsWhollyKnown() && (secret || v.HasMarkDeep(config.Sensitive)) {
		w.set(path, UnknownSensitive)
		return
	}
	rendered, err := renderValue(v, secret, w.key)
	if err != nil {
		w.fail(path, err)
		return
	}
	w.set(path, rendered)
}

// cron renders a cron expression with its fields separated by one space.
func (w specWriter) cron(path, expr string) { w.str(path, strings.Join(strings.Fields(expr), " ")) }

func (w specWriter) fail(path string, err error) {
	*w.errs = append(*w.errs, fmt.Errorf("%s%s: %w", w.prefix, path, err))
}
