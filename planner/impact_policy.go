package planner

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// ImpactPolicy is a -fail-on-impact expression: comparisons of impact
// counts joined by "||" and "&&" ("&&" binds tighter):
//
//	deletions > 10
//	deletions[app] > 0 || users_deleted > 0
//	changes >= 1000 && errors > 0
//
// A count is a kind (deletions, disables, creations, modifications,
// renames, membership_additions, membership_removals,
// memberships_tolerated, users_added, users_modified, users_disabled,
// users_enabled, users_deleted, links, unlinks, situation_changes,
// unmanaged, errors, or changes for every kind but errors and tolerated
// memberships), optionally for one resource in
// brackets; the operators are >, >=, <, <=, == and !=; the right side is
// a whole number.
type ImpactPolicy struct {
	Source string
	any    [][]impactCondition // or of ands
}

type impactCondition struct {
	kind, resource, op string
	n                  int
}

// ParseImpactPolicy parses a -fail-on-impact expression.
func ParseImpactPolicy(src string) (*ImpactPolicy, error) {
	p := &ImpactPolicy{Source: src}
	for _, alt := range strings.Split(src, "||") {
		var all []impactCondition
		for _, part := range strings.Split(alt, "&&") {
			c, err := parseImpactCondition(strings.TrimSpace(part))
			if err != nil {
				return nil, fmt.Errorf("-fail-on-impact %q: %w", src, err)
			}
			all = append(all, c)
		}
		p.any = append(p.any, all)
	}
	return p, nil
}

var impactOps = []string{">=", "<=", "==", "!=", ">", "<"}

func parseImpactCondition(s string) (impactCondition, error) {
	var c impactCondition
	if s == "" {
		return c, fmt.Errorf("a condition is empty; write KIND OP NUMBER, e.g. deletions > 10")
	}
	i := strings.IndexAny(s, "<>=!")
	if i < 0 {
		return c, fmt.Errorf("%q has no comparison; write KIND OP NUMBER, e.g. deletions > 10", s)
	}
	for _, op := range impactOps {
		if strings.HasPrefix(s[i:], op) {
			c.op = op
			break
		}
	}
	if c.op == "" {
		return c, fmt.Errorf("%q: unknown operator; use one of > >= < <= == !=", s)
	}
	left, right := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(c.op):])
	n, err := strconv.Atoi(right)
	if err != nil || n < 0 {
		return c, fmt.Errorf("%q: %q is not a whole number", s, right)
	}
	c.n = n
	c.kind = left
	if open := strings.IndexByte(left, '['); open >= 0 {
		if !strings.HasSuffix(left, "]") {
			return c, fmt.Errorf("%q: a resource is written KIND[RESOURCE], e.g. deletions[app]", s)
		}
		c.kind, c.resource = strings.TrimSpace(left[:open]), strings.TrimSpace(left[open+1:len(left)-1])
		c.resource = strings.TrimPrefix(c.resource, "resource.")
		if c.resource == "" || strings.IndexFunc(c.resource, func(r rune) bool { return unicode.IsSpace(r) }) >= 0 {
			return c, fmt.Errorf("%q: name one resource in the brackets", s)
		}
	}
	var zero ImpactCounts
	if _, ok := zero.Count(c.kind); !ok {
		return c, fmt.Errorf("%q: unknown kind %q; use one of %s or changes", s, c.kind, strings.Join(ImpactKinds, ", "))
	}
	return c, nil
}

// Violations returns, when imp satisfies the policy (the plan must fail),
// the conditions that held, each with its count ("deletions = 312 > 10");
// nil when it does not.
func (p *ImpactPolicy) Violations(imp *Impact) []string {
	for _, all := range p.any {
		var held []string
		for _, c := range all {
			n := c.count(imp)
			if !compareCount(n, c.op, c.n) {
				held = nil
				break
			}
			held = append(held, fmt.Sprintf("%s = %d %s %d", c.name(), n, c.op, c.n))
		}
		if held != nil {
			return held
		}
	}
	return nil
}

func (c impactCondition) name() string {
	if c.resource != "" {
		return c.kind + "[" + c.resource + "]"
	}
	return c.kind
}

func (c impactCondition) count(imp *Impact) int {
	if imp == nil {
		return 0
	}
	if c.resource == "" {
		n, _ := imp.Totals.Count(c.kind)
		return n
	}
	total := 0
	for i := range imp.Types {
		if imp.Types[i].Resource == c.resource {
			n, _ := imp.Types[i].Counts.Count(c.kind)
			total += n
		}
	}
	return total
}

func compareCount(n int, op string, m int) bool {
	switch op {
	case ">":
		return n > m
	case ">=":
		return n >= m
	case "<":
		return n < m
	case "<=":
		return n <= m
	case "==":
		return n == m
	}
	return n != m
}
