package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// decodeReference reads an expression such as schedule.nightly as a
// reference to a definition of the given kind.
func decodeReference(expr hcl.Expression, kind string) (*Reference, hcl.Diagnostics) {
	rng := expr.Range()
	bad := hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid reference",
		Detail:   fmt.Sprintf("Expected a reference to a %s, written %s.NAME (without quotes).", kind, kind),
		Subject:  &rng,
	}}
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(trav) != 2 {
		return nil, bad
	}
	step, ok := trav[1].(hcl.TraverseAttr)
	if !ok {
		return nil, bad
	}
	if root := trav.RootName(); root != kind {
		bad[0].Detail = fmt.Sprintf("Expected a reference to a %s, written %s.NAME; %s.%s refers to a %s.", kind, kind, root, step.Name, root)
		return nil, bad
	}
	return &Reference{Address: Address{Kind: kind, Name: step.Name}, Range: rng}, nil
}

// decodeReferenceList reads a list of references, such as after = [task.a].
func decodeReferenceList(expr hcl.Expression, kind string) ([]*Reference, hcl.Diagnostics) {
	items, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		rng := expr.Range()
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid reference list",
			Detail:   fmt.Sprintf("Expected a list of %s references, as in [%s.a, %s.b].", kind, kind, kind),
			Subject:  &rng,
		}}
	}
	var refs []*Reference
	for _, item := range items {
		ref, refDiags := decodeReference(item, kind)
		diags = append(diags, refDiags...)
		if ref != nil {
			refs = append(refs, ref)
		}
	}
	return refs, diags
}

// resolveReferences checks that every reference names a definition, links
// tasks to their schedules, and reports cycles in after.
func (c *Config) resolveReferences() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, name := range SortedNames(c.Tasks) {
		t := c.Tasks[name]
		if t.ScheduleRef != nil {
			if s, ok := c.Schedules[t.ScheduleRef.Name]; ok {
				t.Schedule = s
			} else {
				diags = append(diags, c.unresolved(t.ScheduleRef))
			}
		}
		for _, ref := range t.After {
			if _, ok := c.Tasks[ref.Name]; !ok {
				diags = append(diags, c.unresolved(ref))
			} else if ref.Name == t.Name {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Task depends on itself",
					Detail:   fmt.Sprintf("task.%s lists itself in after; remove it.", t.Name),
					Subject:  ref.Range.Ptr(),
				})
			}
		}
		for _, a := range t.Activities {
			diags = append(diags, c.resolveActivity(a)...)
		}
	}
	if !diags.HasErrors() {
		diags = append(diags, c.afterCycles()...)
	}
	return append(diags, c.resolveMoved()...)
}

// unresolved reports a reference to a definition that does not exist.
func (c *Config) unresolved(ref *Reference) *hcl.Diagnostic {
	names := c.namesOf(ref.Kind)
	detail := fmt.Sprintf("There is no %s named %q in this configuration.", ref.Kind, ref.Name)
	if s := suggest(ref.Name, names); s != "" {
		detail += fmt.Sprintf(" Did you mean %s.%s?", ref.Kind, s)
	} else if len(names) > 0 {
		detail += fmt.Sprintf(" Declared %ss: %s.", ref.Kind, strings.Join(names, ", "))
	} else {
		detail += fmt.Sprintf(" Declare it with a %s %q block.", ref.Kind, ref.Name)
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Reference to undeclared " + ref.Kind,
		Detail:   detail,
		Subject:  ref.Range.Ptr(),
	}
}

func (c *Config) namesOf(kind string) []string {
	switch kind {
	case KindResource:
		return SortedNames(c.Resources)
	case KindSchedule:
		return SortedNames(c.Schedules)
	case KindTask:
		return SortedNames(c.Tasks)
	}
	return nil
}

// afterCycles finds cycles among tasks' after lists and names each one.
func (c *Config) afterCycles() hcl.Diagnostics {
	const (
		unvisited = iota
		inProgress
		done
	)
	state := map[string]int{}
	var diags hcl.Diagnostics
	var stack []string
	var visit func(name string)
	visit = func(name string) {
		state[name] = inProgress
		stack = append(stack, name)
		for _, ref := range c.Tasks[name].After {
			switch state[ref.Name] {
			case unvisited:
				visit(ref.Name)
			case inProgress:
				diags = append(diags, cycleDiagnostic(stack, ref))
			}
		}
		stack = stack[:len(stack)-1]
		state[name] = done
	}
	for _, name := range SortedNames(c.Tasks) {
		if state[name] == unvisited {
			visit(name)
		}
	}
	return diags
}

func cycleDiagnostic(stack []string, back *Reference) *hcl.Diagnostic {
	start := 0
	for i, n := range stack {
		if n == back.Name {
			start = i
		}
	}
	var path []string
	for _, n := range stack[start:] {
		path = append(path, "task."+n)
	}
	path = append(path, "task."+back.Name)
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Cycle in task dependencies",
		Detail: fmt.Sprintf("These tasks wait for each other through after, so none of them would ever start: %s. Remove one of the after references.",
			strings.Join(path, " → ")),
		Subject: back.Range.Ptr(),
	}
}
