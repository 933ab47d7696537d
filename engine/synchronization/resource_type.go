package synchronization

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/builtin"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// resourceType is an object type of a resource, ready to evaluate.
type resourceType struct {
	res *config.Resource
	ot  *config.ObjectType
	// idAttr is the attribute that identifies objects.
	idAttr string
	// attrNames and userNames are the names the type's expressions use
	// under attributes and user; values present them as null when absent.
	attrNames []string
	userNames []string
	// mappingHash identifies the mappings, reactions and the variable and
	// local values they may use.
	mappingHash string
	// writeOnly holds the outbound attributes the connector never reads
	// back (see write_only.go).
	writeOnly map[string]bool
	// outboundForms (by outbound mapping) and whenForm are the simple
	// forms of the outbound mappings and provision_when, nil where there
	// is none (user_simple.go).
	outboundForms []simpleExpr
	whenForm      simpleExpr
}

// address is "resource.NAME account/default".
func (rt *resourceType) address() string {
	return fmt.Sprintf("resource.%s %s/%s", rt.res.Name, rt.ot.Kind, rt.ot.Intent)
}

// reaction returns what situation s triggers on this type.
func (rt *resourceType) reaction(s config.Situation) config.Reaction {
	if r, ok := rt.ot.Reactions[s]; ok {
		return r
	}
	return config.DefaultReactions[s]
}

// provisions reports whether the type takes part in provisioning: it has
// outbound mappings.
func (rt *resourceType) provisions() bool { return len(rt.ot.Outbound) > 0 }

func newResourceType(cfg *config.Config, res *config.Resource, ot *config.ObjectType, userNames []string, filter hcl.Expression) *resourceType {
	rt := &resourceType{res: res, ot: ot, idAttr: ot.Identifier}
	if rt.idAttr == "" && res.Connection != nil {
		rt.idAttr = res.Connection.String(config.IdentifierSetting[res.Connector])
	}
	exprs := slices.Concat(mappingExprs(ot.Correlate), mappingExprs(ot.Inbound), mappingExprs(ot.Outbound))
	if ot.ProvisionWhen != nil {
		exprs = append(exprs, ot.ProvisionWhen)
	}
	exprs = append(exprs, associationExprs(ot)...)
	// The activity's filter may name attributes no mapping uses.
	rt.attrNames = referencedNames(config.RootAttributes, append(slices.Clone(exprs), filter)...)
	rt.userNames = userNames
	rt.compileUserForms()
	rt.mappingHash = mappingHash(cfg, ot, exprs)
	for _, m := range ot.Outbound {
		if builtin.WriteOnly(res, m.Target) {
			if rt.writeOnly == nil {
				rt.writeOnly = map[string]bool{}
			}
			rt.writeOnly[m.Target] = true
		}
	}
	return rt
}

// mappingHash hashes the source of the type's expressions, its reactions
// and deprovisioning, and the values of every variable and local: when
// any of them changes, objects are synchronized again even if they did
// not change on the resource.
func mappingHash(cfg *config.Config, ot *config.ObjectType, exprs []hcl.Expression) string {
	h := fnv.New128a()
	for _, group := range [][]*config.Mapping{ot.Correlate, ot.Inbound, ot.Outbound} {
		for _, m := range group {
			fmt.Fprintf(h, "%s=%s\x00", m.Target, exprSource(cfg, m.Expr))
		}
		h.Write([]byte{1})
	}
	if ot.ProvisionWhen != nil {
		fmt.Fprintf(h, "when=%s\x00", exprSource(cfg, ot.ProvisionWhen))
	}
	for _, s := range config.Situations {
		fmt.Fprintf(h, "%s=%s\x00", s, ot.Reactions[s])
	}
	fmt.Fprintf(h, "deprovision=%s\x00", ot.Deprovision)
	writeAssociations(h, cfg, ot)
	if a := ot.Activation; a != nil {
		fmt.Fprintf(h, "activation=%s/%s/%s\x00", a.Attribute, a.Enabled, a.Disabled)
	}
	writeValues(h, cfg)
	var sum [16]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// exprSource returns the text of e as written, or its range when the
// source is not at hand.
func exprSource(cfg *config.Config, e hcl.Expression) string {
	rng := e.Range()
	if f, ok := cfg.Files[rng.Filename]; ok && rng.End.Byte <= len(f.Bytes) && rng.Start.Byte <= rng.End.Byte {
		return string(f.Bytes[rng.Start.Byte:rng.End.Byte])
	}
	return rng.String()
}

func writeValues(w io.Writer, cfg *config.Config) {
	for _, name := range config.SortedNames(cfg.Variables) {
		writeValue(w, "var."+name, cfg.Variables[name].Value)
	}
	for _, name := range config.SortedNames(cfg.Locals) {
		writeValue(w, "local."+name, cfg.Locals[name].Value)
	}
}

func writeValue(w io.Writer, name string, v cty.Value) {
	sensitive := v.HasMarkDeep(config.Sensitive)
	v, _ = v.UnmarkDeep()
	if v == cty.NilVal || !v.IsWhollyKnown() {
		fmt.Fprintf(w, "%s=?\x00", name)
		return
	}
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		fmt.Fprintf(w, "%s=!\x00", name)
		return
	}
	if sensitive {
		// Only a digest of a secret goes into the hash the shadows keep.
		sum := sha256.Sum256(b)
		b = sum[:]
	}
	fmt.Fprintf(w, "%s=%x\x00", name, b)
}

// world is everything a synchronization pass reaches: every object type
// of every resource (for provisioning), their connectors, and the base
// evaluation context.
type world struct {
	job   *Job
	cfg   *config.Config
	types []*resourceType // every object type, in resource name order
	base  *hcl.EvalContext
	// userNames are the user attributes any expression names.
	userNames []string

	mu    sync.Mutex
	conns map[string]connector.Connector
	errs  map[string]error
	// opened holds conns' connectors too, for matchKey to read without
	// the lock (it runs once per object decided, on every worker).
	opened sync.Map

	// kept counts the run changes recorded so far, against the job's
	// limit (see keep).
	kept atomic.Int64
	// members holds the groups of entitlement object types, read on
	// first use (memberships.go).
	members memberships
	// failedNow holds the shadows (by ID) whose operation failed in this
	// job: its error is reported once, not again as what waits behind it.
	failedNow sync.Map
}

func newWorld(job *Job) *world {
	w := &world{job: job, cfg: job.Config, base: job.Config.EvalContext(nil),
		conns: map[string]connector.Connector{}, errs: map[string]error{}}
	var userExprs []hcl.Expression
	for _, name := range config.SortedNames(w.cfg.Resources) {
		for _, ot := range w.cfg.Resources[name].ObjectTypes {
			userExprs = append(userExprs, mappingExprs(ot.Outbound)...)
			if ot.ProvisionWhen != nil {
				userExprs = append(userExprs, ot.ProvisionWhen)
			}
			userExprs = append(userExprs, associationExprs(ot)...)
		}
	}
	for _, a := range []*config.Activity{job.Activity} {
		if a != nil && a.Type == config.ActivityRecompute && a.Filter != nil {
			userExprs = append(userExprs, a.Filter)
		}
	}
	userNames := referencedNames(config.RootUser, userExprs...)
	w.userNames = userNames
	for _, name := range config.SortedNames(w.cfg.Resources) {
		res := w.cfg.Resources[name]
		for _, ot := range res.ObjectTypes {
			var filter hcl.Expression
			if a := job.Activity; a != nil && a.Resource != nil && a.Resource.Name == res.Name {
				filter = a.Filter
			}
			w.types = append(w.types, newResourceType(w.cfg, res, ot, userNames, filter))
		}
	}
	return w
}

// resourceType returns the object type kind/intent of resource name.
func (w *world) resourceType(name, kind, intent string) (*resourceType, error) {
	for _, rt := range w.types {
		if rt.res.Name == name && rt.ot.Kind == kind && rt.ot.Intent == intent {
			return rt, nil
		}
	}
	if _, ok := w.cfg.Resources[name]; !ok {
		return nil, fmt.Errorf("there is no resource %q in the configuration", name)
	}
	return nil, fmt.Errorf("resource %q has no object type %s/%s; add an object_type %q block with intent %q",
		name, kind, intent, kind, intent)
}

// conn returns resource name's connector, opening it on first use. A
// connector that failed to open fails the same way every time after.
func (w *world) conn(ctx context.Context, name string) (connector.Connector, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.conns[name]; ok {
		return c, nil
	}
	if err, ok := w.errs[name]; ok {
		return nil, err
	}
	c, err := w.job.open(ctx, w.cfg.Resources[name])
	if err != nil {
		w.errs[name] = err
		return nil, err
	}
	w.conns[name] = c
	w.opened.Store(name, c)
	return c, nil
}

// close closes every connector opened.
func (w *world) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.conns {
		_ = c.Close()
	}
	w.conns = map[string]connector.Connector{}
	w.opened.Clear()
}

// matchKey returns the key id is matched by on rt's resource.
func (w *world) matchKey(ctx context.Context, rt *resourceType, id string) string {
	if c, ok := w.opened.Load(rt.res.Name); ok {
		return connector.MatchKey(c.(connector.Connector), id)
	}
	c, err := w.conn(ctx, rt.res.Name)
	if err != nil {
		return id
	}
	return connector.MatchKey(c, id)
}
