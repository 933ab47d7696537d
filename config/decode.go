package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// decoder evaluates attribute values in the context of one configuration:
// variables, locals and functions are in scope; nothing else is.
type decoder struct {
	ctx *hcl.EvalContext
	// memo remembers the kept expressions checked clean; nil remembers
	// none.
	memo *checkMemo
}

// value evaluates attr and converts it to want. Unknown values (from unset
// variables during validate) pass through; null is reported as missing.
func (d *decoder) value(attr *hcl.Attribute, want cty.Type) (cty.Value, hcl.Diagnostics) {
	v, diags := evaluate(attr.Expr, d.ctx)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if v.IsNull() {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Missing value",
			Detail:   fmt.Sprintf("The argument %q must not be null; give it a value or remove it.", attr.Name),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	cv, err := convert.Convert(v, want)
	if err != nil {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Incorrect attribute value type",
			Detail:   fmt.Sprintf("The argument %q must be %s: %s.", attr.Name, want.FriendlyName(), err),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return cv, nil
}

// plain evaluates attr to a known, non-sensitive value of type want. It is
// for settings that shape behaviour (names, modes, durations), which must be
// reviewable in a plan and so may not come from secrets. An expression that
// reads a sensitive value anywhere (can(regex("^a", env("TOKEN"))) ? "a" :
// "") is refused even when its result carries no mark.
func (d *decoder) plain(attr *hcl.Attribute, want cty.Type) (cty.Value, bool, hcl.Diagnostics) {
	v, diags := d.value(attr, want)
	if diags.HasErrors() {
		return cty.NilVal, false, diags
	}
	if v.ContainsMarked() || readsSensitive(attr.Expr, d.ctx) {
		return cty.NilVal, false, hcl.Diagnostics{sensitiveNotAllowed(attr,
			fmt.Sprintf("The argument %q decides what Syncline does and is shown in plans", attr.Name))}
	}
	if !v.IsWhollyKnown() {
		return cty.NilVal, false, nil // known only once variables are set
	}
	return v, true, nil
}

// sensitiveNotAllowed reports a sensitive value where a plain one is needed;
// why says why the place must be plain. It never quotes the value.
func sensitiveNotAllowed(attr *hcl.Attribute, why string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Sensitive value not allowed here",
		Detail:   why + ", so it cannot come from a sensitive variable, env() or file(), nor be derived from a sensitive value (through try(), can(), a condition, a comparison, a function or a template).",
		Subject:  attr.Expr.Range().Ptr(),
	}
}

func (d *decoder) str(attr *hcl.Attribute, dst *string) hcl.Diagnostics {
	s, ok, diags := d.knownString(attr)
	if ok {
		*dst = s
	}
	return diags
}

// knownString evaluates attr to a plain string; ok is false when it is not
// known yet or is invalid.
func (d *decoder) knownString(attr *hcl.Attribute) (string, bool, hcl.Diagnostics) {
	v, ok, diags := d.plain(attr, cty.String)
	if !ok {
		return "", false, diags
	}
	return v.AsString(), true, nil
}

func (d *decoder) boolean(attr *hcl.Attribute, dst *bool) hcl.Diagnostics {
	v, ok, diags := d.plain(attr, cty.Bool)
	if ok {
		*dst = v.True()
	}
	return diags
}

// integer decodes a whole number between lo and hi inclusive.
func (d *decoder) integer(attr *hcl.Attribute, lo, hi int, dst *int) hcl.Diagnostics {
	v, ok, diags := d.plain(attr, cty.Number)
	if !ok {
		return diags
	}
	bf := v.AsBigFloat()
	i, acc := bf.Int64()
	if !bf.IsInt() || acc != 0 || i < int64(lo) || i > int64(hi) {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid number",
			Detail:   fmt.Sprintf("The argument %q must be a whole number from %d to %d.", attr.Name, lo, hi),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	*dst = int(i)
	return nil
}

func (d *decoder) strings(attr *hcl.Attribute, dst *[]string) hcl.Diagnostics {
	v, ok, diags := d.plain(attr, cty.List(cty.String))
	if !ok {
		return diags
	}
	out := make([]string, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Missing value",
				Detail:   fmt.Sprintf("The list %q must not contain null.", attr.Name),
				Subject:  attr.Expr.Range().Ptr(),
			}}
		}
		out = append(out, e.AsString())
	}
	*dst = out
	return nil
}

// enum decodes a string that must be one of allowed.
func (d *decoder) enum(attr *hcl.Attribute, allowed []string, dst *string) hcl.Diagnostics {
	s, ok, diags := d.knownString(attr)
	if !ok {
		return diags
	}
	if !contains(allowed, s) {
		return hcl.Diagnostics{invalidChoice(attr.Name, s, allowed, attr.Expr.Range())}
	}
	*dst = s
	return nil
}

// duration decodes a duration such as "90s", "15m", "1h30m" or "7d".
func (d *decoder) duration(attr *hcl.Attribute, dst *time.Duration) hcl.Diagnostics {
	s, ok, diags := d.knownString(attr)
	if !ok {
		return diags
	}
	dur, err := ParseDuration(s)
	if err != nil || dur <= 0 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid duration",
			Detail:   fmt.Sprintf("The argument %q must be a positive duration such as \"90s\", \"15m\", \"1h30m\" or \"7d\"; %q is not.", attr.Name, s),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	*dst = dur
	return nil
}

var dayPart = regexp.MustCompile(`^(\d+)d`)

// ParseDuration reads a Go duration with an optional leading day count:
// "7d", "1d12h", "15m".
func ParseDuration(s string) (time.Duration, error) {
	if strings.ContainsAny(s, "-+") {
		return 0, fmt.Errorf("a duration has no sign: %q", s)
	}
	var days time.Duration
	if m := dayPart.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 36500 {
			return 0, fmt.Errorf("invalid day count in %q", s)
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[len(m[0]):]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	return days + d, nil
}

func invalidChoice(name, got string, allowed []string, rng hcl.Range) *hcl.Diagnostic {
	detail := fmt.Sprintf("The argument %q must be one of %s; %q is not.", name, quoteList(allowed), got)
	if s := suggest(got, allowed); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid value", Detail: detail, Subject: rng.Ptr()}
}

// suggest returns the candidate closest to got, if any is close enough to be
// a likely typo.
func suggest(got string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(got, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func contains[T comparable](items []T, x T) bool {
	for _, it := range items {
		if it == x {
			return true
		}
	}
	return false
}

// duplicate reports a second definition of the same thing.
func duplicate(summary, what string, prev, this hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail: fmt.Sprintf("%s is defined more than once. Previous definition was at %s; rename or remove one of them.",
			what, prev.String()),
		Subject: this.Ptr(),
	}
}

// labelRange is the range of a block's first label, or the block's type
// when it has none, for pointing at a name.
func labelRange(b *hcl.Block) hcl.Range {
	if len(b.LabelRanges) > 0 {
		return b.LabelRanges[0]
	}
	return b.DefRange
}

// checkName reports a block label that is not a valid name.
func checkName(b *hcl.Block) hcl.Diagnostics {
	if len(b.Labels) == 0 || validName(b.Labels[0]) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid name",
		Detail: fmt.Sprintf("%q is not a valid %s name. A name starts with a letter or underscore and contains only letters, digits, underscores and dashes.",
			b.Labels[0], b.Type),
		Subject: labelRange(b).Ptr(),
	}}
}

// name decodes a string that must be a valid name (letters, digits, '_' and
// '-'), because it appears in addresses, run records and the command line.
func (d *decoder) name(attr *hcl.Attribute, dst *string) hcl.Diagnostics {
	s, ok, diags := d.knownString(attr)
	if !ok {
		return diags
	}
	if !validName(s) {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid name",
			Detail: fmt.Sprintf("%q is not a valid %s. A name starts with a letter or underscore and contains only letters, digits, underscores and dashes.",
				s, attr.Name),
			Subject: attr.Expr.Range().Ptr(),
		}}
	}
	*dst = s
	return nil
}
