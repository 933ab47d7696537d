package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// FunctionTable maps function names to implementations.
type FunctionTable map[string]function.Function

// valueMark is the type of the cty value marks this package sets.
type valueMark string

// Sensitive is the cty value mark carried by values that must never be printed
// (sensitive variables, env() and file() results).
const Sensitive = valueMark("sensitive")

// maxFileBytes is the largest file file() reads: secrets and small templates,
// not data sets.
const maxFileBytes = 1 << 20

// pathRule tells the user what a file() path must look like.
const pathRule = "the path must be relative to the configuration directory and stay inside it"

// redactedError replaces the message of a failed call that had a sensitive
// argument, because many functions quote their input in error messages.
const redactedError = "the call failed on a sensitive value; the details are hidden so the value is not revealed"

// NewFunctionTable returns every function configuration expressions may call.
// src is the configuration root: file() reads only inside it. getenv looks up
// environment variables for env(); nil means an empty environment.
//
// Every function reports errors without quoting a Sensitive argument. Marks
// on arguments carry over to results; try and can, which take unevaluated
// expressions, mark their results when those expressions read a sensitive
// value.
func NewFunctionTable(src fs.FS, getenv func(string) (string, bool)) FunctionTable {
	return newFunctionTable(src, getenv, false)
}

// newFunctionTable is NewFunctionTable; with unsetEnvUnknown, env() of an
// unset variable is an unknown value rather than an error, so that validate
// can check a configuration without its secrets.
func newFunctionTable(src fs.FS, getenv func(string) (string, bool), unsetEnvUnknown bool) FunctionTable {
	t := FunctionTable{}
	for name, f := range stdlibFunctions() {
		t[name] = redactSensitiveErrors(f)
	}
	for name, f := range ownFunctions(src, getenv, unsetEnvUnknown) {
		t[name] = redactSensitiveErrors(f)
	}
	// try and can take unevaluated expressions; the functions called inside
	// them are already redacted. Their results are Sensitive when what they
	// evaluate reads a sensitive value (see derived.go).
	t["try"] = tryFunc
	t["can"] = canFunc
	return t
}

// Names returns the function names sorted.
func (t FunctionTable) Names() []string {
	return slices.Sorted(maps.Keys(t))
}

// stdlibFunctions returns the go-cty standard library under the names
// Terraform users know. coalesce, index and length are ours (see
// ownFunctions) because go-cty's functions of those names do something else.
func stdlibFunctions() map[string]function.Function {
	return map[string]function.Function{
		// numbers
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      stdlib.LogFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      stdlib.PowFunc,
		"signum":   stdlib.SignumFunc,
		// strings
		"chomp":      stdlib.ChompFunc,
		"format":     stdlib.FormatFunc,
		"formatlist": stdlib.FormatListFunc,
		"indent":     stdlib.IndentFunc,
		"join":       stdlib.JoinFunc,
		"lower":      stdlib.LowerFunc,
		"upper":      stdlib.UpperFunc,
		"regex":      stdlib.RegexFunc,
		"regexall":   stdlib.RegexAllFunc,
		"replace":    replaceFunc,
		"split":      stdlib.SplitFunc,
		"strrev":     stdlib.ReverseFunc,
		"substr":     stdlib.SubstrFunc,
		"title":      stdlib.TitleFunc,
		"trim":       stdlib.TrimFunc,
		"trimprefix": stdlib.TrimPrefixFunc,
		"trimsuffix": stdlib.TrimSuffixFunc,
		"trimspace":  stdlib.TrimSpaceFunc,
		// collections
		"chunklist":       stdlib.ChunklistFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"keys":            stdlib.KeysFunc,
		"lookup":          stdlib.LookupFunc,
		"merge":           stdlib.MergeFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,
		// encoding and time
		"jsonencode": stdlib.JSONEncodeFunc,
		"jsondecode": stdlib.JSONDecodeFunc,
		"csvdecode":  stdlib.CSVDecodeFunc,
		"formatdate": stdlib.FormatDateFunc,
		"timeadd":    stdlib.TimeAddFunc,
		// type conversion
		"tonumber": stdlib.MakeToFunc(cty.Number),
		"tostring": stdlib.MakeToFunc(cty.String),
		"tobool":   stdlib.MakeToFunc(cty.Bool),
		"tolist":   stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":    stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"toset":    stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	}
}

// ownFunctions returns the functions syncline adds to the standard library.
func ownFunctions(src fs.FS, getenv func(string) (string, bool), unsetEnvUnknown bool) map[string]function.Function {
	return map[string]function.Function{
		"startswith":    stringPredicate("prefix", "Reports whether the string begins with the prefix.", strings.HasPrefix),
		"endswith":      stringPredicate("suffix", "Reports whether the string ends with the suffix.", strings.HasSuffix),
		"transliterate": transliterateFunc,
		"coalesce":      coalesceFunc,
		"index":         indexFunc,
		"length":        lengthFunc,
		"env":           envFunc(getenv, unsetEnvUnknown),
		"file":          fileFunc(src),
	}
}

// redactSensitiveErrors wraps f so that a call with a Sensitive argument
// fails with a fixed message instead of f's own, which may quote the value
// (tobool("hunter2") says `cannot convert "hunter2" to bool`). The wrapper
// passes every argument through untouched; f itself still handles marks,
// unknowns and nulls.
func redactSensitiveErrors(f function.Function) function.Function {
	params := slices.Clone(f.Params())
	for i := range params {
		params[i] = passThrough(params[i])
	}
	spec := &function.Spec{
		Description: f.Description(),
		Params:      params,
		Type: func(args []cty.Value) (cty.Type, error) {
			ty, err := f.ReturnTypeForValues(args)
			return ty, redact(err, args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, err := f.Call(args)
			return v, redact(err, args)
		},
	}
	if vp := f.VarParam(); vp != nil {
		p := passThrough(*vp)
		spec.VarParam = &p
	}
	return function.New(spec)
}

// passThrough lets every argument value reach the wrapped function as given.
func passThrough(p function.Parameter) function.Parameter {
	p.AllowNull, p.AllowUnknown, p.AllowDynamicType, p.AllowMarked = true, true, true, true
	return p
}

// redact replaces err when any argument is Sensitive, keeping which argument
// it blames.
func redact(err error, args []cty.Value) error {
	if err == nil || !slices.ContainsFunc(args, isSensitive) {
		return err
	}
	var argErr function.ArgError
	if errors.As(err, &argErr) {
		return function.NewArgError(argErr.Index, errors.New(redactedError))
	}
	return errors.New(redactedError)
}

func isSensitive(v cty.Value) bool { return v.HasMarkDeep(Sensitive) }

// stringPredicate returns a function of a string and a second string (named
// other) that returns test(str, other).
func stringPredicate(other, description string, test func(s, other string) bool) function.Function {
	return function.New(&function.Spec{
		Description: description,
		Params: []function.Parameter{
			{Name: "str", Type: cty.String},
			{Name: other, Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(test(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// transliterateFunc turns a string into plain ASCII for usernames and mail
// addresses: "Jiří Nováček" becomes "Jiri Novacek", "Straße" becomes
// "Strasse". Characters without a transliteration are dropped. CJK characters
// become syllables each followed by a space ("北京" → "Bei Jing "); combine
// with trimspace() or replace() where that matters.
var transliterateFunc = function.New(&function.Spec{
	Description: "Transliterates a string to plain ASCII.",
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(unidecode.Unidecode(args[0].AsString())), nil
	},
})

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor an empty string. go-cty's CoalesceFunc skips only nulls, so
// coalesce(attributes.nickname, attributes.first_name) would return the empty
// string an empty CSV column holds.
var coalesceFunc = function.New(&function.Spec{
	Description: "Returns the first argument that is neither null nor an empty string.",
	VarParam: &function.Parameter{
		Name: "vals", Type: cty.DynamicPseudoType,
		AllowNull: true, AllowUnknown: true, AllowDynamicType: true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) == 0 {
			return cty.NilType, errors.New("at least one argument is required")
		}
		types := make([]cty.Type, len(args))
		for i, arg := range args {
			types[i] = arg.Type()
		}
		if ty, _ := convert.UnifyUnsafe(types); ty != cty.NilType {
			return ty, nil
		}
		return cty.NilType, errors.New("all arguments must have the same type")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, arg := range args {
			v, err := convert.Convert(arg, retType)
			switch {
			case err != nil:
				return cty.NilVal, err
			case !v.IsKnown():
				return cty.UnknownVal(retType), nil
			case v.IsNull(), v.RawEquals(cty.StringVal("")):
				continue
			}
			return v, nil
		}
		return cty.NilVal, errors.New("every argument is null or an empty string")
	},
})

// indexFunc is Terraform's index(list, value): the position of the first
// element equal to value. go-cty's IndexFunc is element access instead.
var indexFunc = function.New(&function.Spec{
	Description: "Returns the index of the first element of the list that equals the value.",
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty := args[0].Type(); !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilType, function.NewArgErrorf(0, "argument must be a list or tuple, not %s", ty.FriendlyName())
		}
		return cty.Number, nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		for i, elem := range args[0].Elements() {
			eq := elem.Equals(args[1])
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, function.NewArgErrorf(1, "the list does not contain this value")
	},
})

// lengthFunc is Terraform's length: characters of a string, elements of a
// collection or tuple, attributes of an object. go-cty's LengthFunc refuses
// strings, which identity mappings check most often.
var lengthFunc = function.New(&function.Spec{
	Description: "Returns the length of a string, collection, tuple or object.",
	Params:      []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if ty != cty.String && !ty.IsCollectionType() && !ty.IsTupleType() && !ty.IsObjectType() {
			return cty.NilType, function.NewArgErrorf(0, "argument must be a string, collection, tuple or object, not %s", ty.FriendlyName())
		}
		return cty.Number, nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		switch {
		case v.Type() == cty.String:
			return stdlib.Strlen(v)
		case v.Type().IsObjectType():
			return cty.NumberIntVal(int64(len(v.Type().AttributeTypes()))), nil
		}
		return v.Length(), nil
	},
})

// envFunc returns env(name): the value of an environment variable, marked
// Sensitive. An unset variable is an error, not an empty string, so a typo in
// a name cannot silently empty a password.
func envFunc(getenv func(string) (string, bool), unsetUnknown bool) function.Function {
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	return sensitiveStringFunc("name", "Returns the value of an environment variable; the result is sensitive.",
		func(name string) (string, error) {
			if _, ok := getenv(name); !ok && unsetUnknown && name != "" {
				return "", errUnknownResult
			}
			if name == "" {
				return "", errors.New("environment variable name must not be empty")
			}
			value, ok := getenv(name)
			switch {
			case !ok:
				return "", fmt.Errorf("environment variable %s is not set", name)
			case !utf8.ValidString(value):
				return "", fmt.Errorf("environment variable %s is not valid UTF-8", name)
			}
			return value, nil
		})
}

// fileFunc returns file(path): the content of a text file inside src,
// marked Sensitive.
func fileFunc(src fs.FS) function.Function {
	return sensitiveStringFunc("path", "Returns the content of a text file in the configuration directory; the result is sensitive.",
		func(name string) (string, error) { return readConfigFile(src, name) })
}

// errUnknownResult tells sensitiveStringFunc that the result is not known yet.
var errUnknownResult = errors.New("unknown result")

// sensitiveStringFunc returns a function of one string argument whose result,
// known or not, is marked Sensitive. Errors from read blame the argument.
func sensitiveStringFunc(param, description string, read func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Description: description,
		Params:      []function.Parameter{{Name: param, Type: cty.String, AllowUnknown: true}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if !args[0].IsKnown() {
				return cty.UnknownVal(cty.String).Mark(Sensitive), nil
			}
			s, err := read(args[0].AsString())
			if errors.Is(err, errUnknownResult) {
				return cty.UnknownVal(cty.String).Mark(Sensitive), nil
			}
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(s).Mark(Sensitive), nil
		},
	})
}

// readConfigFile reads a UTF-8 text file of at most maxFileBytes from src.
// The path is checked before src is touched; src (an os.Root's FS for real
// directories) refuses symlinks that leave the root.
func readConfigFile(src fs.FS, name string) (string, error) {
	p, err := configFilePath(name)
	if err != nil {
		return "", err
	}
	if src == nil {
		return "", errors.New("file() is not available: there is no configuration directory")
	}
	info, err := fs.Stat(src, p)
	if err != nil {
		return "", fmt.Errorf("cannot read %q: %w", name, pathErrorCause(err))
	}
	switch {
	case !info.Mode().IsRegular():
		return "", fmt.Errorf("cannot read %q: it is not a regular file", name)
	case info.Size() > maxFileBytes:
		return "", fmt.Errorf("file %q is %d bytes; file() reads files of at most 1 MiB", name, info.Size())
	}
	data, err := readAtMost(src, p, maxFileBytes)
	switch {
	case err != nil:
		return "", fmt.Errorf("cannot read %q: %w", name, pathErrorCause(err))
	case len(data) > maxFileBytes:
		return "", fmt.Errorf("file %q is larger than 1 MiB; file() reads files of at most 1 MiB", name)
	case !utf8.Valid(data):
		return "", fmt.Errorf("file %q is not valid UTF-8 text; file() reads text files only", name)
	}
	return string(data), nil
}

// configFilePath checks a file() path and returns it in the form fs.FS
// expects: "./a//b" becomes "a/b".
func configFilePath(name string) (string, error) {
	bad := name == "" ||
		strings.Contains(name, `\`) ||
		path.IsAbs(name) || filepath.IsAbs(name) || filepath.VolumeName(name) != "" ||
		slices.Contains(strings.Split(name, "/"), "..")
	if clean := path.Clean(name); !bad && fs.ValidPath(clean) {
		return clean, nil
	}
	return "", fmt.Errorf("invalid path %q: %s", name, pathRule)
}

// readAtMost reads up to limit+1 bytes of a file, so a caller can tell a
// file that grew past limit after it was checked.
func readAtMost(src fs.FS, name string, limit int64) ([]byte, error) {
	f, err := src.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// pathErrorCause drops the operation and path from an fs.PathError: the
// caller names the path as the user wrote it.
func pathErrorCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
