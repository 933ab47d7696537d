package config

import (
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// replaceFunc is replace(string, substring, replacement) as Terraform users
// know it: a substring wrapped in forward slashes, such as "/[^a-z]+/", is a
// regular expression (RE2 syntax, $1 for groups); otherwise it is replaced
// literally.
var replaceFunc = function.New(&function.Spec{
	Description: "Replaces each occurrence of substring (or of /regex/) in string with replacement.",
	Params: []function.Parameter{
		{Name: "string", Type: cty.String},
		{Name: "substring", Type: cty.String},
		{Name: "replacement", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sub := args[1].AsString()
		if len(sub) > 1 && strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/") {
			return stdlib.RegexReplace(args[0], cty.StringVal(sub[1:len(sub)-1]), args[2])
		}
		return stdlib.Replace(args[0], args[1], args[2])
	},
})
