package config

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Limits on what one configuration may ask of the loader and of an
// evaluation. Any sane configuration stays far below them; they exist so that
// a hostile one (a pull request, a push to the branch serve -sync follows)
// is refused with a diagnostic instead of exhausting the stack or the memory
// of the process. docs/language.md ("Limits") documents them.
const (
	// MaxNestingDepth is the deepest nesting of brackets, braces,
	// parentheses, string templates, template directives, blocks and chained
	// unary or conditional operators one file may hold. It is checked on the
	// tokens, before the parser (which recurses) sees the file.
	MaxNestingDepth = 100
	// MaxValueBytes is the most string bytes one evaluated value may hold,
	// counted over all its elements (a number counts as its decimal digits).
	MaxValueBytes = 1 << 20
	// MaxValueElements is the most elements one evaluated value may hold,
	// counted over all its nested collections.
	MaxValueElements = 100_000
	// MaxLoadWork is the most evaluation work loading one configuration may
	// do: the bytes and elements (16 bytes each) produced by every function
	// call, template, for expression and attribute, summed.
	MaxLoadWork = 64 << 20
	// MaxEvaluationWork is the same for evaluating one expression for one
	// object at run time (a mapping, a filter, a condition).
	MaxEvaluationWork = 16 << 20
	// MaxConfigBytes is the most bytes the configuration files of one
	// configuration may hold together.
	MaxConfigBytes = 4 << 20
)

// elementCost is what one element (or any value) costs in evaluation work,
// on top of its string bytes.
const elementCost = 16

// preCheckSlack is how far above the value limits the estimated result of a
// function may be before the call is refused without being made; the
// result itself must then be within the limits.
const preCheckSlack = 8

// valueSize is how big a value is: string bytes (numbers as their decimal
// digits), elements, and whether it is nested deeper than MaxNestingDepth.
type valueSize struct {
	bytes, elems int64
	tooDeep      bool
}

func (s valueSize) cost() int64 { return s.bytes + elementCost*(s.elems+1) }

// over reports whether s exceeds the value limits times factor.
func (s valueSize) over(factor int64) bool {
	return s.tooDeep || s.bytes > factor*MaxValueBytes || s.elems > factor*MaxValueElements
}

// problem describes which value limit s exceeds.
func (s valueSize) problem() string {
	switch {
	case s.tooDeep:
		return fmt.Sprintf("the value is nested more than %d levels deep (MaxNestingDepth)", MaxNestingDepth)
	case s.bytes > MaxValueBytes:
		return fmt.Sprintf("the value holds more than %d bytes of strings (MaxValueBytes, 1 MiB)", MaxValueBytes)
	}
	return fmt.Sprintf("the value holds more than %d elements (MaxValueElements)", MaxValueElements)
}

// measure sizes v, giving up (with a size over the limits) as soon as it
// passes the limits times capFactor, so measuring is cheap whatever v is.
func measure(v cty.Value, capFactor int64) valueSize {
	var s valueSize
	measureInto(v, &s, 0, capFactor)
	return s
}

func measureInto(v cty.Value, s *valueSize, depth int, capFactor int64) {
	if s.over(capFactor) {
		return
	}
	if depth > MaxNestingDepth {
		s.tooDeep = true
		return
	}
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		s.bytes += int64(len(v.AsString()))
	case ty == cty.Number:
		s.bytes += numberDigits(v.AsBigFloat())
	case ty == cty.Bool:
		s.bytes++
	case ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			s.elems++
			if ty.IsMapType() || ty.IsObjectType() {
				measureInto(k, s, depth+1, capFactor)
			}
			measureInto(e, s, depth+1, capFactor)
			if s.over(capFactor) {
				return
			}
		}
	}
}

// numberDigits estimates the length of n written in decimal: a number
// with a huge exponent is cheap to hold but not to print.
func numberDigits(n *big.Float) int64 {
	if n.IsInf() {
		return 4
	}
	exp := n.MantExp(nil)
	if exp < 0 {
		exp = -exp
	}
	return int64(float64(exp)*math.Log10(2)) + 160 // 512 bits of mantissa are 155 digits
}

// limitError is why an evaluation was stopped: its work passed the budget
// at subject.
type limitError struct {
	subject hcl.Range
	limit   int64
}

func (e limitError) diagnostic() *hcl.Diagnostic {
	name := "MaxEvaluationWork"
	if e.limit == MaxLoadWork {
		name = "MaxLoadWork"
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Evaluation limit exceeded",
		Detail: fmt.Sprintf("Evaluating this expression produced more than %d MiB of values in total (%s), so Syncline stopped. "+
			"A configuration should describe definitions, not compute large data; make the expression produce less.", e.limit>>20, name),
		Subject: e.subjectPtr(),
	}
}

func (e limitError) subjectPtr() *hcl.Range {
	if e.subject.Filename == "" {
		return nil
	}
	return e.subject.Ptr()
}

// budget counts evaluation work against a limit. A budget that is not
// armed only checks single values: the Config's own budget is disarmed when
// Load returns, so later evaluations outside Evaluate never panic.
type budget struct {
	limit    int64
	used     atomic.Int64
	armed    atomic.Bool
	exceeded atomic.Pointer[limitError]
	// where is the range of the latest value checked: where a function
	// call that runs out of budget is, near enough.
	where atomic.Pointer[hcl.Range]
}

// stop ends the evaluating goroutine (see runLimited) because b ran out at
// subject.
func (b *budget) stop(subject *hcl.Range) {
	le := &limitError{limit: b.limit}
	if subject != nil {
		le.subject = *subject
	}
	b.exceeded.Store(le)
	runtime.Goexit()
}

func newBudget(limit int64) *budget {
	b := &budget{limit: limit}
	b.armed.Store(true)
	return b
}

// spend adds n to the work done and reports whether the budget still holds.
func (b *budget) spend(n int64) bool {
	if b == nil || !b.armed.Load() {
		return true
	}
	return b.used.Add(n) <= b.limit
}

// limitFuncName is the function that Load wraps around the parts of an
// expression that can multiply work (see limitExpressions). A configuration
// cannot call it usefully: its second argument is a capsule.
const limitFuncName = "syncline::limit"

var rangeCapsule = cty.Capsule("range", reflect.TypeOf(hcl.Range{}))

func rangeVal(r hcl.Range) cty.Value { return cty.CapsuleVal(rangeCapsule, &r) }

// limitFunc returns the function limitFuncName bound to b: it returns its
// first argument unchanged, after checking it against the value limits
// (an error) and spending its size from b. When b runs out it ends the
// goroutine that evaluates (see runLimited): an error would not do, because
// hcl goes on evaluating a for expression after one, and a panic would not
// either, because go-cty turns a panic in a function into an error.
func limitFunc(b *budget) function.Function {
	return function.New(&function.Spec{
		Description: "Checks a value against the evaluation limits.",
		Params: []function.Parameter{
			{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true},
			{Name: "range", Type: rangeCapsule},
		},
		Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			rng := args[1].EncapsulatedValue().(*hcl.Range)
			b.where.Store(rng)
			size := measure(args[0], 1)
			if size.over(1) {
				return cty.UnknownVal(args[0].Type()), function.NewArgErrorf(0, "%s", size.problem())
			}
			if !b.spend(size.cost()) {
				b.stop(rng)
			}
			return args[0], nil
		},
	})
}

// Evaluate evaluates expr in ctx within MaxEvaluationWork: an expression
// that would produce more is stopped with a diagnostic. A result that may
// have lost the marks of a sensitive value it read is marked, and a
// diagnostic about an expression that reads one hides its details (see
// evaluate in derived.go). The engine evaluates mappings, correlations,
// filters and conditions through it.
//
// Only an expression that iterates (a for expression or a splat) can
// multiply its work without bound; every other one does work bounded by its
// own size, each value in it checked against the value limits by the
// configuration's limit function, which never ends the evaluation. So the
// others are evaluated directly, without the goroutine that ending a
// runaway evaluation needs: that is most mappings, and Evaluate runs once
// per mapping per object.
func Evaluate(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if !iterates(expr) {
		return evaluateBounded(expr, ctx)
	}
	b := newBudget(MaxEvaluationWork)
	child := ctx.NewChild()
	child.Functions = map[string]function.Function{limitFuncName: limitFunc(b)}
	v := cty.DynamicVal
	diags := runLimited(b, func() hcl.Diagnostics {
		var diags hcl.Diagnostics
		v, diags = evaluate(expr, child)
		return diags
	})
	return v, diags
}

// runLimited runs evaluate on a goroutine of its own, which limitFunc ends
// when b runs out; the diagnostics are then evaluate's limit diagnostic.
// A panic in evaluate is raised again in the caller.
func runLimited(b *budget, evaluate func() hcl.Diagnostics) hcl.Diagnostics {
	type outcome struct {
		diags    hcl.Diagnostics
		panicked any
	}
	done := make(chan outcome, 1)
	go func() {
		finished := false
		defer func() {
			switch r := recover(); {
			case r != nil:
				done <- outcome{panicked: r}
			case !finished:
				le := b.exceeded.Load()
				if le == nil {
					le = &limitError{limit: b.limit}
				}
				done <- outcome{diags: hcl.Diagnostics{le.diagnostic()}}
			}
		}()
		diags := evaluate()
		finished = true
		done <- outcome{diags: diags}
	}()
	o := <-done
	if o.panicked != nil {
		panic(o.panicked)
	}
	relabelLimitDiags(o.diags)
	return o.diags
}

// parseSource parses one configuration or variable file within the limits:
// the configuration bytes read so far stay under MaxConfigBytes, a file
// nested too deep never reaches the parser, and the expressions of the file
// are wrapped to be checked as they are evaluated.
func (l *loader) parseSource(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	if diags := l.countSource(src, filename); diags.HasErrors() {
		return nil, diags
	}
	return parseChecked(src, filename)
}

// countSource adds src to the configuration bytes read so far, refusing
// the file that brings them past MaxConfigBytes.
func (l *loader) countSource(src []byte, filename string) hcl.Diagnostics {
	l.sourceBytes += int64(len(src))
	if l.sourceBytes > MaxConfigBytes {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Configuration too large",
			Detail: fmt.Sprintf("Reading %s brings the configuration past %d MiB of files (MaxConfigBytes), so Syncline did not read it. "+
				"Keep data sets in resources, not in configuration files.", filename, MaxConfigBytes>>20),
			Subject: &hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos},
		}}
	}
	return nil
}

// parseChecked parses one file whose size was counted: a file nested too
// deep never reaches the parser, and the expressions of the file are
// wrapped to be checked as they are evaluated. It touches nothing shared,
// so files are parsed in parallel.
func parseChecked(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	if diags := CheckNesting(src, filename, false); diags.HasErrors() {
		return nil, diags
	}
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if file != nil {
		if body, ok := file.Body.(*hclsyntax.Body); ok {
			limitExpressions(body, "")
		}
	}
	return file, diags
}

// literalContext is the context of values that may refer to nothing, such
// as variable defaults and variable files: no variables and no functions,
// only the evaluation limits.
func (l *loader) literalContext() *hcl.EvalContext {
	return &hcl.EvalContext{Functions: map[string]function.Function{limitFuncName: limitFunc(l.budget)}}
}

// checkValue reports a value over the value limits, as the value of the
// expression at rng.
func checkValue(v cty.Value, rng hcl.Range) hcl.Diagnostics {
	size := measure(v, 1)
	if !size.over(1) {
		return nil
	}
	return hcl.Diagnostics{valueTooLarge(size.problem(), rng)}
}

func valueTooLarge(problem string, rng hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Value too large",
		Detail: fmt.Sprintf("This expression produces a value over Syncline's limits: %s. "+
			"A configuration should describe definitions, not compute large data; make the value smaller.", problem),
		Subject: rng.Ptr(),
	}
}

// relabelLimitDiags gives the errors of limitFuncName, which hcl reports as
// an invalid argument of a function the user never wrote, their own
// summary.
func relabelLimitDiags(diags hcl.Diagnostics) {
	const prefix = `Invalid value for "value" parameter: `
	for _, d := range diags {
		if d.Summary == "Invalid function argument" && strings.HasPrefix(d.Detail, prefix+"the value ") {
			*d = *valueTooLarge(strings.TrimSuffix(strings.TrimPrefix(d.Detail, prefix), "."), *d.Subject)
		}
	}
}

// evaluateBounded evaluates an expression that does not iterate. The check
// the loader wrapped around the whole of it is done here instead of through
// a function call, which costs more than most mappings themselves.
func evaluateBounded(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	call, ok := expr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != limitFuncName || len(call.Args) != 2 {
		return evaluate(expr, ctx)
	}
	v, diags := evaluate(call.Args[0], ctx)
	if diags.HasErrors() {
		return v, diags
	}
	return v, append(diags, checkValue(v, expr.Range())...)
}

// iterates reports whether expr holds a for expression or a splat.
func iterates(expr hcl.Expression) bool { return iterationCache.of(expr) }

// iterationCache says yes for an expression that is not hclsyntax's: not
// ours to look into, so it is evaluated within a budget.
var iterationCache = exprProperty{max: 4096, other: true, has: func(n hclsyntax.Node) bool {
	switch n.(type) {
	case *hclsyntax.ForExpr, *hclsyntax.SplatExpr:
		return true
	}
	return false
}}
