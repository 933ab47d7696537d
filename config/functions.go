package config

import "github.com/zclconf/go-cty/cty/function"

// FunctionTable maps function names to implementations.
type FunctionTable map[string]function.Function
