package views

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syncline/syncline/planner"
)

// The identity impact of a plan (planner.Impact), in words shared by the
// text and Markdown views.

// impactWords names each kind of change for people: the phrase after a
// count, and the heading of its samples.
var impactWords = map[string]struct{ one, many, heading string }{
	planner.ImpactDelete:       {"account deleted", "accounts deleted", "Accounts deleted"},
	planner.ImpactDisable:      {"account disabled", "accounts disabled", "Accounts disabled"},
	planner.ImpactCreate:       {"account created", "accounts created", "Accounts created"},
	planner.ImpactModify:       {"account modified", "accounts modified", "Accounts modified"},
	planner.ImpactRename:       {"account renamed", "accounts renamed", "Accounts renamed"},
	planner.ImpactMemberRemove: {"membership removed", "memberships removed", "Memberships removed"},
	planner.ImpactMemberAdd:    {"membership added", "memberships added", "Memberships added"},
	planner.ImpactMemberTolerate: {"membership tolerated", "memberships tolerated",
		"Memberships kept by a tolerant association, no longer given"},
	planner.ImpactUserDelete:  {"user deleted", "users deleted", "Users deleted"},
	planner.ImpactUserDisable: {"user disabled", "users disabled", "Users disabled"},
	planner.ImpactUserEnable:  {"user enabled", "users enabled", "Users enabled"},
	planner.ImpactUserAdd:     {"user added", "users added", "Users added"},
	planner.ImpactUserModify:  {"user modified", "users modified", "Users modified"},
	planner.ImpactUnlink:      {"object unlinked", "objects unlinked", "Objects unlinked"},
	planner.ImpactLink:        {"object linked", "objects linked", "Objects linked"},
	planner.ImpactSituation:   {"situation changed", "situations changed", "Situations changed"},
	planner.ImpactUnmanaged:   {"shadow no longer managed", "shadows no longer managed", "No longer managed"},
	planner.ImpactError:       {"object failing", "objects failing", "Objects failing"},
}

// impactCountWords is "3 accounts deleted".
func impactCountWords(kind string, n int) string {
	w := impactWords[kind]
	if n == 1 {
		return "1 " + w.one
	}
	return strconv.Itoa(n) + " " + w.many
}

// countsLine lists c's non-zero counts in ImpactKinds order; users
// selects the user kinds (true) or the others.
func countsLine(c planner.ImpactCounts, users bool) string {
	var parts []string
	for _, kind := range planner.ImpactKinds {
		if strings.HasPrefix(kind, "users_") != users {
			continue
		}
		if n, _ := c.Count(kind); n > 0 {
			parts = append(parts, impactCountWords(kind, n))
		}
	}
	return strings.Join(parts, ", ")
}

// attributeCounts is "email 3, full_name 1".
func attributeCounts(attrs []planner.AttributeCount) string {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = fmt.Sprintf("%s %d", a.Name, a.Count)
	}
	return strings.Join(parts, ", ")
}

// typeLabel names a type impact: "resource.app account/default", or
// "resource.app" for a whole resource.
func typeLabel(t planner.TypeImpact) string {
	if t.Kind == "" {
		return "resource." + t.Resource
	}
	return t.Address()
}

// thresholdLine is "task.app-reconcile (reconciliation) stops at
// max_deletions = 25; the change would make 312 deletions on resource.app
// account/default".
func thresholdLine(x planner.ThresholdExceeded) string {
	on := "by recomputing users"
	if x.Resource != "" {
		on = fmt.Sprintf("deciding resource.%s %s/%s", x.Resource, x.Kind, x.Intent)
	}
	return fmt.Sprintf("task.%s (%s) stops at max_%s = %d: the change would make %d %s %s",
		x.Task, x.Activity, x.What, x.Limit, x.Count, strings.ReplaceAll(x.What, "_", " "), on)
}

// memberSymbols mark a membership sample as runs show its change.
var memberSymbols = map[string]string{planner.ImpactMemberAdd: "+", planner.ImpactMemberRemove: "-", planner.ImpactMemberTolerate: "~"}

// sampleSubject is "app/bob (user bob)", "user bob", or for a membership
// "+ member app/engineering <- bob".
func sampleSubject(s planner.ImpactSample) string {
	switch {
	case memberSymbols[s.Kind] != "":
		return fmt.Sprintf("%s member %s/%s <- %s", memberSymbols[s.Kind], s.Resource, quoteIfNeeded(s.Identifier), quoteIfNeeded(s.User))
	case strings.HasPrefix(s.Kind, "users_") && s.Resource != "":
		return fmt.Sprintf("user %s (from %s/%s)", quoteIfNeeded(s.User), s.Resource, quoteIfNeeded(s.Identifier))
	case s.Resource == "":
		return "user " + quoteIfNeeded(s.User)
	case s.User == "":
		return s.Resource + "/" + quoteIfNeeded(s.Identifier)
	}
	return fmt.Sprintf("%s/%s (user %s)", s.Resource, quoteIfNeeded(s.Identifier), quoteIfNeeded(s.User))
}

// sampleDetail is what changes beyond the attributes: a rename's new
// identifier, a situation before → after, an error.
func sampleDetail(s planner.ImpactSample) string {
	switch {
	case s.NewIdentifier != "":
		return "→ " + quoteIfNeeded(s.NewIdentifier)
	case s.SituationBefore != "" || s.SituationAfter != "":
		return s.SituationBefore + " → " + s.SituationAfter
	case s.Error != "":
		return "error: " + oneLine(s.Error)
	}
	return ""
}

// attributeLine is `email: "a@x" → "a@y"`.
func attributeLine(a planner.ImpactAttribute) string {
	if a.Sensitive {
		return a.Name + ": " + planner.RedactedValue
	}
	return a.Name + ": " + impactValue(a.Before) + " → " + impactValue(a.After)
}

// maxImpactValue bounds one shown value, in characters.
const maxImpactValue = 120

func impactValue(vs []string) string {
	switch len(vs) {
	case 0:
		return "(none)"
	case 1:
		return strconv.Quote(cut(vs[0]))
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = strconv.Quote(cut(v))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func cut(s string) string {
	if r := []rune(s); len(r) > maxImpactValue {
		return string(r[:maxImpactValue]) + "…"
	}
	return s
}

// quoteIfNeeded quotes a name that is empty or holds spaces or control
// characters, so that what a resource holds cannot forge a line.
func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '"' }) || strconv.Quote(s) != `"`+s+`"` {
		return strconv.Quote(s)
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(cut(s)), " ")
}

// sampleGroups are imp's samples by kind, in ImpactKinds order.
func sampleGroups(imp *planner.Impact) (kinds []string, by map[string][]planner.ImpactSample) {
	by = map[string][]planner.ImpactSample{}
	for _, s := range imp.Samples {
		if _, ok := by[s.Kind]; !ok {
			kinds = append(kinds, s.Kind)
		}
		by[s.Kind] = append(by[s.Kind], s)
	}
	return kinds, by
}

// evaluatedLine is "Syncline evaluated the configuration over 4 users
// and 7 shadows in the state's repository, without reaching any resource."
func evaluatedLine(imp *planner.Impact) string {
	return fmt.Sprintf("evaluated over %s and %s in the state's repository, without reaching any resource",
		plural2(imp.Users, "user"), plural2(imp.Shadows, "shadow"))
}

func plural2(n int, word string) string { return strconv.Itoa(n) + " " + plural(n, word) }
