package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// limitFunctions wraps every function of t so that a call whose arguments
// promise too large a result is refused before it is made, and a result
// over the value limits is an error. While b is armed (during Load) each
// result is also spent from b, and the call that spends the last of it ends
// the evaluation (see runLimited).
// t also gets limitFuncName, bound to b.
func limitFunctions(t FunctionTable, b *budget) FunctionTable {
	out := make(FunctionTable, len(t)+1)
	for name, f := range t {
		out[name] = limitFunction(name, f, b)
	}
	out[limitFuncName] = limitFunc(b)
	return out
}

func limitFunction(name string, f function.Function, b *budget) function.Function {
	spec := &function.Spec{
		Description: f.Description(),
		Params:      slices.Clone(f.Params()),
		Type:        f.ReturnTypeForValues,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if err := precheck(name, args); err != nil {
				return cty.NilVal, err
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			size := measure(v, 1)
			if size.over(1) {
				return cty.NilVal, fmt.Errorf("the result is too large: %s", size.problem())
			}
			if !b.spend(size.cost()) {
				b.stop(b.where.Load())
			}
			return v, nil
		},
	}
	if vp := f.VarParam(); vp != nil {
		p := *vp
		spec.VarParam = &p
	}
	return function.New(spec)
}

// errTooLarge refuses a call before it is made.
func errTooLarge(what string) error {
	return fmt.Errorf("the call would produce %s; a value may hold at most %d bytes of strings (MaxValueBytes) and %d elements (MaxValueElements)",
		what, MaxValueBytes, MaxValueElements)
}

// precheck refuses a call whose arguments are already too large, or whose
// result, estimated from its arguments, would be: most functions return at
// most what they are given, and the rest are estimated by name.
func precheck(name string, args []cty.Value) error {
	var total valueSize
	sizes := make([]valueSize, len(args))
	for i, a := range args {
		sizes[i] = measure(a, preCheckSlack)
		total.bytes += sizes[i].bytes
		total.elems += sizes[i].elems
		total.tooDeep = total.tooDeep || sizes[i].tooDeep
		if total.over(preCheckSlack) {
			return errTooLarge("a result from arguments that are too large together")
		}
	}
	if !allKnown(args) {
		return nil
	}
	if est, ok := estimates[name]; ok {
		return est(args, sizes)
	}
	return nil
}

func allKnown(args []cty.Value) bool {
	for _, a := range args {
		if !a.IsWhollyKnown() {
			return false
		}
	}
	return true
}

// estimates are the functions whose result can be much larger than their
// arguments, each with a cheap bound of its result.
var estimates = map[string]func(args []cty.Value, sizes []valueSize) error{
	"setproduct": estimateSetProduct,
	"format":     estimateFormat,
	"formatlist": estimateFormat,
	"join":       estimateJoin,
	"replace":    estimateReplace,
	"indent":     estimateIndent,
	"split":      estimateSplit,
	"regexall":   estimateRegexAll,
	"jsonencode": estimateJSON,
}

func estimateSetProduct(args []cty.Value, _ []valueSize) error {
	product := int64(1)
	for _, a := range args {
		a, _ = a.Unmark()
		if a.IsNull() || !a.CanIterateElements() {
			return nil
		}
		product *= int64(a.LengthInt())
		if product*int64(len(args)) > MaxValueElements {
			return errTooLarge(fmt.Sprintf("more than %d elements", MaxValueElements))
		}
	}
	return nil
}

// formatWidth finds width and precision numbers in a format string.
var formatWidth = regexp.MustCompile(`%[-+# 0]*(\[\d+\])?(\d*)(\.(\d*))?`)

func estimateFormat(args []cty.Value, sizes []valueSize) error {
	f, _ := args[0].Unmark()
	if f.IsNull() || f.Type() != cty.String {
		return nil
	}
	spec := f.AsString()
	verbs := int64(0)
	widths := int64(0)
	for _, m := range formatWidth.FindAllStringSubmatch(spec, -1) {
		verbs++
		for _, n := range []string{m[2], m[4]} {
			if len(n) > 7 {
				return errTooLarge("a padded string longer than " + fmt.Sprint(MaxValueBytes) + " bytes")
			}
			var w int64
			fmt.Sscan(n, &w)
			widths += w
		}
	}
	var largest int64
	rows := int64(1)
	for i, s := range sizes[1:] {
		largest = max(largest, s.bytes)
		if a, _ := args[i+1].Unmark(); !a.IsNull() && (a.Type().IsListType() || a.Type().IsTupleType()) {
			rows = max(rows, int64(a.LengthInt()))
		}
	}
	if est := rows * (int64(len(spec)) + widths + verbs*largest); est > preCheckSlack*MaxValueBytes {
		return errTooLarge(fmt.Sprintf("about %d bytes", est))
	}
	return nil
}

func estimateJoin(args []cty.Value, sizes []valueSize) error {
	sep, _ := args[0].Unmark()
	if sep.IsNull() || sep.Type() != cty.String {
		return nil
	}
	var est int64
	for _, s := range sizes[1:] {
		est += s.bytes + s.elems*int64(len(sep.AsString()))
	}
	if est > preCheckSlack*MaxValueBytes {
		return errTooLarge(fmt.Sprintf("about %d bytes", est))
	}
	return nil
}

func estimateReplace(args []cty.Value, _ []valueSize) error {
	s, sub, repl := plainString(args[0]), plainString(args[1]), plainString(args[2])
	var times int64
	if sub == "" || (len(sub) > 1 && strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/")) {
		times = int64(len(s)) + 1 // a pattern may match at every position
	} else {
		times = int64(strings.Count(s, sub))
	}
	if est := int64(len(s)) + times*int64(len(repl)); est > preCheckSlack*MaxValueBytes {
		return errTooLarge(fmt.Sprintf("up to %d bytes", est))
	}
	return nil
}

func estimateIndent(args []cty.Value, _ []valueSize) error {
	n, _ := args[0].Unmark()
	if n.IsNull() || n.Type() != cty.Number {
		return nil
	}
	spaces, _ := n.AsBigFloat().Int64() // saturates
	if spaces > MaxValueBytes {
		return errTooLarge("an indent of more than " + fmt.Sprint(MaxValueBytes) + " spaces")
	}
	s := plainString(args[1])
	if est := int64(len(s)) + spaces*int64(strings.Count(s, "\n")+1); est > preCheckSlack*MaxValueBytes {
		return errTooLarge(fmt.Sprintf("about %d bytes", est))
	}
	return nil
}

func estimateSplit(args []cty.Value, _ []valueSize) error {
	if n := int64(strings.Count(plainString(args[1]), plainString(args[0]))) + 1; n > MaxValueElements {
		return errTooLarge(fmt.Sprintf("%d elements", n))
	}
	return nil
}

// estimateRegexAll counts the matches (Go's regexp runs in linear time, so
// counting is cheap) without collecting more than the limit allows.
func estimateRegexAll(args []cty.Value, _ []valueSize) error {
	re, err := regexp.Compile(plainString(args[0]))
	if err != nil {
		return nil // regexall reports it
	}
	groups := re.NumSubexp() + 1
	most := MaxValueElements/groups + 1
	if n := len(re.FindAllStringIndex(plainString(args[1]), most)); n*groups > MaxValueElements {
		return errTooLarge(fmt.Sprintf("more than %d elements", MaxValueElements))
	}
	return nil
}

func estimateJSON(_ []cty.Value, sizes []valueSize) error {
	// Escaping writes at most six bytes for one; each element adds a few.
	if est := 6*sizes[0].bytes + 8*sizes[0].elems; est > preCheckSlack*MaxValueBytes {
		return errTooLarge(fmt.Sprintf("up to %d bytes of JSON", est))
	}
	return nil
}

// plainString is v's string without marks, or "" when v is not a known
// string.
func plainString(v cty.Value) string {
	v, _ = v.Unmark()
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}
