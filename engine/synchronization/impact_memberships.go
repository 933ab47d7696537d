package synchronization

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// Memberships in the impact. The state keeps no memberships: a run reads
// them from the resource (memberships.go). Offline, the impact takes each
// group to hold what the applied definitions' associations give the
// stored users — the resource in step with the applied configuration —
// and fills the job's group indexes with that before deciding anything.
// The decisions then run as in a preview: associate compares the groups
// the configuration gives (over the user as the decision leaves it) with
// those, and the membership changes it makes are the impact's. So a
// changed groups expression, a new association, a user whose department
// changes, a created account (every group given) and a deprovisioned one
// (every group it was in) all count as the next runs would count them.
//
// The offline connector stands for the resource's memberships: a member
// value is the account's identifier (a run shows an LDAP account's DN),
// its key the resource's key of it, and nothing can be read or changed.

func (o *offline) Groups(context.Context, connector.GroupClass) iter.Seq2[connector.Group, error] {
	return func(yield func(connector.Group, error) bool) { yield(connector.Group{}, errOffline) }
}
func (o *offline) MemberValue(_ context.Context, id string) (string, error) { return id, nil }
func (o *offline) MemberValueKnown(id string) (string, bool)                { return id, true }
func (o *offline) MemberKey(value string) string                            { return o.keys.key(value) }
func (o *offline) ChangeMembers(_ context.Context, _ connector.GroupClass, changes []connector.MemberChange) []error {
	errs := make([]error, len(changes))
	for i := range errs {
		errs[i] = errOffline
	}
	return errs
}

// appliedAssociation is an association as the applied definitions hold
// it, with what its groups expression needs to be evaluated again.
type appliedAssociation struct {
	resource, kind, intent string // the account object type
	name, entitlement      string
	tolerant               bool
	groups                 hcl.Expression
	userNames              []string
	// scope holds var and local as the definition was applied with them
	// (a sensitive value is unknown: an expression reading it fails).
	scope map[string]cty.Value
	err   error // why groups could not be read back
}

func (a *appliedAssociation) address() string {
	return fmt.Sprintf("resource.%s %s/%s association %q", a.resource, a.kind, a.intent, a.name)
}

// appliedAssociations reads the associations of the applied resource
// definitions, in address order.
func appliedAssociations(defs map[string]*state.Definition) []*appliedAssociation {
	var out []*appliedAssociation
	for _, addr := range slices.Sorted(maps.Keys(defs)) {
		d := defs[addr]
		if d.Kind != config.KindResource {
			continue
		}
		keys := associationKeys(d.Spec)
		if len(keys) == 0 {
			continue // no association: its scope is not needed
		}
		byKey := map[string]*appliedAssociation{}
		for _, k := range keys {
			typ, rest, _ := strings.Cut(strings.TrimPrefix(k, "object_type."), ".association.")
			dot := strings.LastIndexByte(rest, '.')
			kind, intent, ok2 := strings.Cut(typ, "/")
			if dot < 0 || !ok2 {
				continue
			}
			name, field := rest[:dot], rest[dot+1:]
			a := byKey[typ+"\x00"+name]
			if a == nil {
				a = &appliedAssociation{resource: d.Name, kind: kind, intent: intent, name: name}
				byKey[typ+"\x00"+name] = a
				out = append(out, a)
			}
			a.set(field, d.Spec[k])
		}
		scope := appliedScope(d.Spec)
		for _, a := range byKey {
			a.scope = scope
			if a.groups == nil && a.err == nil {
				a.err = fmt.Errorf("the applied definition has no groups expression")
			}
		}
	}
	return out
}

// associationKeys are the paths of spec under an object type's
// association, sorted: most resources have none, and sorting all of their
// paths to find that out was most of appliedAssociations' work.
func associationKeys(spec map[string]string) []string {
	var keys []string
	for k := range spec {
		if strings.HasPrefix(k, "object_type.") && strings.Contains(k[len("object_type."):], ".association.") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// set reads one field of an association's spec.
func (a *appliedAssociation) set(field, rendered string) {
	switch field {
	case "entitlement":
		a.entitlement, _ = planner.Unquote(rendered)
	case "tolerant":
		a.tolerant = rendered == "true"
	case "groups":
		e, diags := hclsyntax.ParseExpression([]byte(rendered), "applied groups of "+a.name, hcl.InitialPos)
		if diags.HasErrors() {
			a.err = config.DiagnosticsError("the applied groups expression", diags)
			return
		}
		a.groups, a.userNames = e, referencedNames(config.RootUser, e)
	}
}

// appliedScope is var and local as a definition's spec recorded the
// values its expressions read (var.NAME, local.NAME).
func appliedScope(spec map[string]string) map[string]cty.Value {
	roots := map[string]map[string]cty.Value{"var": {}, "local": {}}
	for k, rendered := range spec {
		root, name, ok := strings.Cut(k, ".")
		if !ok || roots[root] == nil {
			continue
		}
		roots[root][name] = renderedValue(rendered)
	}
	return map[string]cty.Value{"var": cty.ObjectVal(roots["var"]), "local": cty.ObjectVal(roots["local"])}
}

// renderedValue reads a canonical rendering back (it is HCL); a
// sensitive fingerprint, or anything unreadable, is unknown.
func renderedValue(rendered string) cty.Value {
	if planner.IsSensitive(rendered) {
		return cty.DynamicVal
	}
	e, diags := hclsyntax.ParseExpression([]byte(rendered), "applied value", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

// appliedGroups evaluates a's groups expression over u as the applied
// definitions did.
func (w *world) appliedGroups(a *appliedAssociation, u *state.User) ([]string, error) {
	if a.err != nil {
		return nil, a.err
	}
	ctx := w.base.NewChild()
	ctx.Variables = map[string]cty.Value{config.RootUser: userValue(u, a.userNames)}
	maps.Copy(ctx.Variables, a.scope)
	v, diags := config.Evaluate(a.groups, ctx)
	if diags.HasErrors() {
		return nil, config.DiagnosticsError("groups", diags)
	}
	return resourceValues(v)
}

// memberSeed is what seeding the group indexes met, for the notes.
type memberSeed struct {
	indexes  int
	failed   int
	firstErr error
}

// seedMemberships fills the job's group index of every entitlement the
// configuration's associations name with the memberships the applied
// associations give the stored users, and notes what the reviewer must
// know to read the counts.
func (ev *impactEval) seedMemberships(ctx context.Context, applied []*appliedAssociation) error {
	var seed memberSeed
	for _, name := range config.SortedNames(ev.w.cfg.Resources) {
		res := ev.w.cfg.Resources[name]
		for _, intent := range associatedEntitlements(res) {
			et := res.ObjectType(config.KindEntitlement, intent)
			if et == nil || et.Group == nil {
				continue // the run reports it as it decides
			}
			idx, err := ev.seedIndex(ctx, res, et, applied, &seed)
			if err != nil {
				return err
			}
			ev.w.members.mu.Lock()
			if ev.w.members.idx == nil {
				ev.w.members.idx, ev.w.members.errs = map[string]*groupIndex{}, map[string]error{}
			}
			ev.w.members.idx[res.Name+"/"+intent] = idx
			ev.w.members.mu.Unlock()
			seed.indexes++
		}
	}
	ev.memberNotes(applied, seed)
	return nil
}

// associatedEntitlements are the entitlement intents res's associations
// name, sorted.
func associatedEntitlements(res *config.Resource) []string {
	var out []string
	for _, ot := range res.ObjectTypes {
		for _, a := range ot.Associations {
			if !slices.Contains(out, a.Entitlement) {
				out = append(out, a.Entitlement)
			}
		}
	}
	slices.Sort(out)
	return out
}

// seedIndex builds the group index of entitlement et on res: the groups
// its live shadows and declared list name, and the members the applied
// associations of that entitlement give.
func (ev *impactEval) seedIndex(ctx context.Context, res *config.Resource, et *config.ObjectType, applied []*appliedAssociation, seed *memberSeed) (*groupIndex, error) {
	idx := &groupIndex{class: groupClass(et), declared: map[string]bool{}, names: map[string]string{}, memberOf: map[string]map[string]bool{}}
	for _, n := range et.Group.Declared {
		idx.declared[strings.ToLower(n)] = true
	}
	err := ev.st.ShadowsEach(ctx, res.Name, config.KindEntitlement, et.Intent, func(sh *state.Shadow) error {
		if !sh.Dead {
			idx.names[strings.ToLower(sh.Identifier)] = sh.Identifier
		}
		return ev.step(ctx)
	})
	if err != nil {
		return nil, err
	}
	mem, err := ev.w.memberConn(ctx, res.Name)
	if err != nil {
		return nil, err
	}
	for _, a := range applied {
		if a.resource == res.Name && a.entitlement == et.Intent {
			if err := ev.seedAssociation(ctx, idx, mem, a, seed); err != nil {
				return nil, err
			}
		}
	}
	return idx, nil
}

// member is a live linked account: its owner and member key.
type member struct {
	owner int64
	key   string
}

// seedAssociation adds the memberships a gives the owners of its
// account type's live linked shadows, a chunk of owners at a time.
func (ev *impactEval) seedAssociation(ctx context.Context, idx *groupIndex, mem connector.Memberships, a *appliedAssociation, seed *memberSeed) error {
	var chunk []member
	flush := func() error {
		err := ev.seedChunk(ctx, idx, a, chunk, seed)
		chunk = chunk[:0]
		return err
	}
	err := ev.st.ShadowsEach(ctx, a.resource, a.kind, a.intent, func(sh *state.Shadow) error {
		if err := ev.step(ctx); err != nil {
			return err
		}
		if sh.Dead || sh.Owner == 0 {
			return nil
		}
		v, _ := mem.MemberValue(ctx, sh.Identifier)
		if chunk = append(chunk, member{owner: sh.Owner, key: mem.MemberKey(v)}); len(chunk) == impactBatchSize {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

func (ev *impactEval) seedChunk(ctx context.Context, idx *groupIndex, a *appliedAssociation, chunk []member, seed *memberSeed) error {
	if len(chunk) == 0 {
		return nil
	}
	ids := make([]int64, len(chunk))
	for i, m := range chunk {
		ids[i] = m.owner
	}
	users, err := ev.st.UsersByID(ctx, ids)
	if err != nil {
		return err
	}
	for _, m := range chunk {
		u := users[m.owner]
		if u == nil {
			continue
		}
		groups, err := ev.w.appliedGroups(a, u)
		if err != nil {
			seed.failed++
			if seed.firstErr == nil {
				seed.firstErr = fmt.Errorf("%s, user %s: %w", a.address(), u.Name, err)
			}
			continue
		}
		for _, g := range groups {
			if strings.TrimSpace(g) == "" {
				continue
			}
			lower := strings.ToLower(g)
			if _, ok := idx.names[lower]; !ok {
				idx.names[lower] = g
			}
			idx.add(m.key, lower)
		}
	}
	return nil
}

// memberNotes notes the assumption memberships are counted on, the
// associations whose change the counts cannot show, and the accounts
// whose applied groups could not be evaluated.
func (ev *impactEval) memberNotes(applied []*appliedAssociation, seed memberSeed) {
	if seed.indexes == 0 && len(applied) == 0 {
		return
	}
	ev.b.Note("memberships are counted as if each group held what the applied definitions' associations give the stored users (the state keeps no memberships; the resource is taken to be in step with the applied configuration): memberships added or removed by hand are unknown offline, and a member is shown by its account's identifier")
	now := map[string]*config.Association{}
	for _, res := range ev.w.cfg.Resources {
		for _, ot := range res.ObjectTypes {
			for _, a := range ot.Associations {
				now[res.Name+"/"+ot.Kind+"/"+ot.Intent+"/"+a.Name] = a
			}
		}
	}
	for _, a := range applied {
		cur, ok := now[a.resource+"/"+a.kind+"/"+a.intent+"/"+a.name]
		switch {
		case !ok:
			ev.b.Note(a.address() + " is removed: the memberships it gave are left on the resource as they are (a run no longer manages them)")
		case a.tolerant && !cur.Tolerant:
			ev.b.Note(fmt.Sprintf("%s is no longer tolerant: its next runs remove every membership of entitlement %q the association does not give, including those added by hand, which are unknown offline and not counted",
				a.address(), a.entitlement))
		}
	}
	if seed.failed > 0 {
		ev.b.Note(fmt.Sprintf("the applied groups of %d accounts could not be evaluated, so their memberships count as none (first: %v)", seed.failed, seed.firstErr))
	}
}
