package config

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// EnvVarPrefix prefixes environment variables that set input variables:
// SYNCLINE_VAR_ldap_password sets var.ldap_password.
const EnvVarPrefix = "SYNCLINE_VAR_"

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"},
		{Name: "default"},
		{Name: "description"},
		{Name: "sensitive"},
	},
}

// decodeVariables decodes the variable blocks, then gives each variable its
// value from the defaults, the environment, variable files and -var options.
func (l *loader) decodeVariables(blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, b := range blocks {
		v, vDiags := decodeVariable(b, l.literalContext())
		diags = append(diags, vDiags...)
		if v == nil {
			continue
		}
		if prev, dup := l.cfg.Variables[v.Name]; dup {
			diags = append(diags, duplicate("Duplicate variable declaration",
				fmt.Sprintf("The variable %q", v.Name), prev.DeclRange, v.DeclRange))
			continue
		}
		l.cfg.Variables[v.Name] = v
	}
	if diags.HasErrors() {
		return diags
	}
	return append(diags, l.assignVariables()...)
}

// decodeVariable reads a variable block; ctx offers no variables or
// functions, only the evaluation limits.
func decodeVariable(b *hcl.Block, ctx *hcl.EvalContext) (*Variable, hcl.Diagnostics) {
	diags := checkName(b)
	content, contentDiags := b.Body.Content(variableSchema)
	diags = append(diags, contentDiags...)
	v := &Variable{Name: b.Labels[0], Type: cty.DynamicPseudoType, Default: cty.NilVal, DeclRange: b.DefRange}
	if attr, ok := content.Attributes["type"]; ok {
		ty, tyDiags := typeexpr.TypeConstraint(attr.Expr)
		diags = append(diags, tyDiags...)
		if !tyDiags.HasErrors() {
			v.Type = ty
		}
	}
	d := &decoder{ctx: ctx}
	if attr, ok := content.Attributes["description"]; ok {
		diags = append(diags, d.str(attr, &v.Description)...)
	}
	if attr, ok := content.Attributes["sensitive"]; ok {
		diags = append(diags, d.boolean(attr, &v.Sensitive)...)
	}
	if attr, ok := content.Attributes["default"]; ok {
		val, valDiags := attr.Expr.Value(ctx)
		diags = append(diags, valDiags...)
		if !valDiags.HasErrors() {
			conv, err := convert.Convert(val, v.Type)
			if err != nil {
				diags = append(diags, invalidVariableValue(v, err, attr.Expr.Range().Ptr()))
			} else {
				v.Default = conv
			}
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return v, diags
}

// assignVariables applies, lowest precedence first: defaults, SYNCLINE_VAR_
// environment variables, -var-file files in order, -var options in order.
func (l *loader) assignVariables() hcl.Diagnostics {
	values := map[string]cty.Value{}
	for name, v := range l.cfg.Variables {
		if v.Default != cty.NilVal {
			values[name] = v.Default
		}
	}
	var diags hcl.Diagnostics
	for name, v := range l.cfg.Variables {
		if raw, ok := l.env[EnvVarPrefix+name]; ok {
			val, valDiags := parseRawVariable(v, raw, EnvVarPrefix+name)
			diags = append(diags, valDiags...)
			if !valDiags.HasErrors() {
				values[name] = val
			}
		}
	}
	for _, path := range l.opts.VarFiles {
		diags = append(diags, l.readVarFile(path, values)...)
	}
	for _, opt := range l.opts.Vars {
		diags = append(diags, l.applyVarOption(opt, values)...)
	}
	if diags.HasErrors() {
		return diags
	}
	for _, name := range SortedNames(l.cfg.Variables) {
		diags = append(diags, l.settleVariable(l.cfg.Variables[name], values)...)
	}
	return diags
}

// settleVariable stores the chosen value, marked when sensitive.
func (l *loader) settleVariable(v *Variable, values map[string]cty.Value) hcl.Diagnostics {
	val, ok := values[v.Name]
	if !ok {
		if !l.opts.AllowUnsetVariables {
			v.Value = cty.UnknownVal(v.Type)
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "No value for required variable",
				Detail: fmt.Sprintf("The variable %q has no default. Set it with -var %s=VALUE, in a -var-file, or with the environment variable %s%s.",
					v.Name, v.Name, EnvVarPrefix, v.Name),
				Subject: v.DeclRange.Ptr(),
			}}
		}
		val = cty.UnknownVal(v.Type)
	}
	if v.Sensitive {
		val = val.Mark(Sensitive)
	}
	v.Value = val
	return nil
}

func (l *loader) applyVarOption(opt string, values map[string]cty.Value) hcl.Diagnostics {
	name, raw, ok := strings.Cut(opt, "=")
	if !ok || name == "" {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid -var option",
			Detail:   fmt.Sprintf("The option -var %q is not of the form NAME=VALUE.", opt),
		}}
	}
	v, declared := l.cfg.Variables[name]
	if !declared {
		return hcl.Diagnostics{undeclaredVariable(name, "-var option", SortedNames(l.cfg.Variables), nil)}
	}
	val, diags := parseRawVariable(v, raw, "-var "+name)
	if !diags.HasErrors() {
		values[name] = val
	}
	return diags
}

// parseRawVariable reads a value given on the command line or in the
// environment: taken literally for string variables, otherwise parsed as an
// HCL expression such as ["a", "b"] or 42.
func parseRawVariable(v *Variable, raw, source string) (cty.Value, hcl.Diagnostics) {
	var val cty.Value
	if v.Type == cty.String || v.Type == cty.DynamicPseudoType {
		val = cty.StringVal(raw)
	} else {
		diags := CheckNesting([]byte(raw), source, true)
		var expr hclsyntax.Expression
		if !diags.HasErrors() {
			expr, diags = hclsyntax.ParseExpression([]byte(raw), source, hcl.InitialPos)
		}
		if !diags.HasErrors() {
			val, diags = expr.Value(nil)
		}
		if diags.HasErrors() {
			return cty.NilVal, hcl.Diagnostics{invalidVariableValue(v,
				fmt.Errorf("%s is not a literal value; write it as in HCL, such as 3, true or [\"a\", \"b\"]", source), nil)}
		}
	}
	conv, err := convert.Convert(val, v.Type)
	if err != nil {
		return cty.NilVal, hcl.Diagnostics{invalidVariableValue(v, err, nil)}
	}
	return conv, nil
}

// readVarFile reads a variable file: NAME = VALUE lines.
func (l *loader) readVarFile(path string, values map[string]cty.Value) hcl.Diagnostics {
	src, err := os.ReadFile(path)
	if err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read variable file",
			Detail:   fmt.Sprintf("Reading the -var-file %s failed: %s.", path, err),
		}}
	}
	file, diags := l.parseSource(src, path)
	if diags.HasErrors() {
		return diags
	}
	l.cfg.Files[path] = file
	attrs, attrDiags := file.Body.JustAttributes()
	diags = append(diags, attrDiags...)
	for _, name := range SortedNames(attrs) {
		attr := attrs[name]
		v, declared := l.cfg.Variables[name]
		if !declared {
			diag := undeclaredVariable(name, "variable file", SortedNames(l.cfg.Variables), attr.NameRange.Ptr())
			diag.Severity = hcl.DiagWarning
			diags = append(diags, diag)
			continue
		}
		val, valDiags := attr.Expr.Value(l.literalContext())
		diags = append(diags, valDiags...)
		if valDiags.HasErrors() {
			continue
		}
		conv, err := convert.Convert(val, v.Type)
		if err != nil {
			diags = append(diags, invalidVariableValue(v, err, attr.Expr.Range().Ptr()))
			continue
		}
		values[name] = conv
	}
	return diags
}

func undeclaredVariable(name, where string, declared []string, subject *hcl.Range) *hcl.Diagnostic {
	detail := fmt.Sprintf("A %s sets %q, but no variable block declares it.", where, name)
	if s := suggest(name, declared); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	} else {
		detail += fmt.Sprintf(" Declare it with variable %q { } or remove the value.", name)
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Value for undeclared variable", Detail: detail, Subject: subject}
}

func invalidVariableValue(v *Variable, err error, subject *hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid value for variable",
		Detail:   fmt.Sprintf("The variable %q must be %s: %s.", v.Name, v.Type.FriendlyName(), err),
		Subject:  subject,
	}
}
