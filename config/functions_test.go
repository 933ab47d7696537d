package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// funcTestEnv is the environment the function tests see.
func funcTestEnv(name string) (string, bool) {
	v, ok := map[string]string{
		"LDAP_PASSWORD": "s3cret",
		"EMPTY":         "",
		"GREETING":      "Dobrý den",
		"BROKEN":        "\xff\xfe",
	}[name]
	return v, ok
}

// funcTestFiles is the configuration root the function tests see.
func funcTestFiles() fstest.MapFS {
	return fstest.MapFS{
		"secrets/ldap.txt": {Data: []byte("s3cret\n")},
		"names.txt":        {Data: []byte("Jiří Nováček\n")},
		"empty.txt":        {Data: nil},
		"max.txt":          {Data: []byte(strings.Repeat("a", maxFileBytes))},
		"big.txt":          {Data: []byte(strings.Repeat("a", maxFileBytes+1))},
		"binary.bin":       {Data: []byte{'a', 0xff, 0xfe, 'b'}},
		"dir/inner.txt":    {Data: []byte("inner")},
	}
}

// evalFunc evaluates one HCL expression with the test function table and the
// given variables in scope as var.NAME.
func evalFunc(t *testing.T, src string, vars map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags.Error())
	}
	ctx := &hcl.EvalContext{
		Functions: NewFunctionTable(funcTestFiles(), funcTestEnv),
		Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)},
	}
	return expr.Value(ctx)
}

// mustEvalFunc is evalFunc for expressions that must succeed.
func mustEvalFunc(t *testing.T, src string, vars map[string]cty.Value) cty.Value {
	t.Helper()
	v, diags := evalFunc(t, src, vars)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", src, diags.Error())
	}
	return v
}

// checkFuncResult compares a call's result or error with the expectation: an
// empty wantErr means the call must succeed with want.
func checkFuncResult(t *testing.T, got cty.Value, diags hcl.Diagnostics, want cty.Value, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if !diags.HasErrors() {
			t.Fatalf("got %#v, want error containing %q", got, wantErr)
		}
		if !strings.Contains(diags.Error(), wantErr) {
			t.Fatalf("got error %q, want it to contain %q", diags.Error(), wantErr)
		}
		return
	}
	if diags.HasErrors() {
		t.Fatalf("unexpected error: %s", diags.Error())
	}
	got, _ = got.Unmark()
	if !got.RawEquals(want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
}

func TestFunctionTableNames(t *testing.T) {
	t.Parallel()
	want := []string{
		"abs", "can", "ceil", "chomp", "chunklist", "coalesce", "coalescelist", "compact", "concat",
		"contains", "csvdecode", "distinct", "element", "endswith", "env", "file", "flatten", "floor",
		"format", "formatdate", "formatlist", "indent", "index", "join", "jsondecode", "jsonencode",
		"keys", "length", "log", "lookup", "lower", "max", "merge", "min", "parseint", "pow", "range",
		"regex", "regexall", "replace", "reverse", "setintersection", "setproduct", "setsubtract",
		"setunion", "signum", "slice", "sort", "split", "startswith", "strrev", "substr", "timeadd",
		"title", "tobool", "tolist", "tomap", "tonumber", "toset", "tostring", "transliterate", "trim",
		"trimprefix", "trimspace", "trimsuffix", "try", "upper", "values", "zipmap",
	}
	got := NewFunctionTable(nil, nil).Names()
	if !slices.Equal(got, want) {
		t.Fatalf("Names() = %q\nwant %q", got, want)
	}
}

// TestFunctionsCallableFromHCL calls every function in the table once through
// an HCL expression, so a function added without a sample here fails.
func TestFunctionsCallableFromHCL(t *testing.T) {
	t.Parallel()
	str := cty.StringVal
	num := cty.NumberIntVal
	strs := func(s ...string) cty.Value {
		vals := make([]cty.Value, len(s))
		for i := range s {
			vals[i] = str(s[i])
		}
		return cty.ListVal(vals)
	}
	samples := map[string]struct {
		expr string
		want cty.Value
	}{
		"abs":             {`abs(-3)`, num(3)},
		"can":             {`can(tonumber("x"))`, cty.False},
		"ceil":            {`ceil(1.2)`, num(2)},
		"chomp":           {`chomp("a\n")`, str("a")},
		"chunklist":       {`length(chunklist(["a", "b", "c"], 2))`, num(2)},
		"coalesce":        {`coalesce("", "b")`, str("b")},
		"coalescelist":    {`coalescelist([], ["b"])`, cty.TupleVal([]cty.Value{str("b")})},
		"compact":         {`compact(["a", "", "b"])`, strs("a", "b")},
		"concat":          {`concat(["a"], ["b"])`, cty.TupleVal([]cty.Value{str("a"), str("b")})},
		"contains":        {`contains(["a", "b"], "b")`, cty.True},
		"csvdecode":       {`csvdecode("id,name\n1,ann\n")[0].name`, str("ann")},
		"distinct":        {`distinct(["a", "a"])`, strs("a")},
		"element":         {`element(["a", "b"], 3)`, str("b")},
		"endswith":        {`endswith("jiri@example.org", "@example.org")`, cty.True},
		"env":             {`env("LDAP_PASSWORD")`, str("s3cret")},
		"file":            {`file("secrets/ldap.txt")`, str("s3cret\n")},
		"flatten":         {`flatten([["a"], ["b"]])`, cty.TupleVal([]cty.Value{str("a"), str("b")})},
		"floor":           {`floor(1.8)`, num(1)},
		"format":          {`format("%s-%03d", "emp", 7)`, str("emp-007")},
		"formatdate":      {`formatdate("YYYY-MM-DD", "2024-02-29T10:00:00Z")`, str("2024-02-29")},
		"formatlist":      {`formatlist("u-%s", ["a", "b"])`, strs("u-a", "u-b")},
		"indent":          {`indent(2, "a\nb")`, str("a\n  b")},
		"index":           {`index(["a", "b", "c"], "b")`, num(1)},
		"join":            {`join(".", ["jiri", "novacek"])`, str("jiri.novacek")},
		"jsondecode":      {`jsondecode("{\"a\": 1}").a`, num(1)},
		"jsonencode":      {`jsonencode({a = "b"})`, str(`{"a":"b"}`)},
		"keys":            {`keys({b = 1, a = 2})`, cty.TupleVal([]cty.Value{str("a"), str("b")})},
		"length":          {`length("Žluť")`, num(4)},
		"log":             {`log(1, 10)`, num(0)},
		"lookup":          {`lookup({a = "x"}, "b", "dflt")`, str("dflt")},
		"lower":           {`lower("JIŘÍ")`, str("jiří")},
		"max":             {`max(1, 5, 3)`, num(5)},
		"merge":           {`merge({a = "x"}, {b = "y"}).b`, str("y")},
		"min":             {`min(1, 5, 3)`, num(1)},
		"parseint":        {`parseint("ff", 16)`, num(255)},
		"pow":             {`pow(2, 10)`, num(1024)},
		"range":           {`length(range(3))`, num(3)},
		"regex":           {`regex("^[a-z]+", "abc123")`, str("abc")},
		"regexall":        {`length(regexall("[0-9]", "a1b2"))`, num(2)},
		"replace":         {`replace("a.b.c", ".", "-")`, str("a-b-c")},
		"reverse":         {`reverse(["a", "b"])`, cty.TupleVal([]cty.Value{str("b"), str("a")})},
		"setintersection": {`length(setintersection(["a", "b"], ["b"]))`, num(1)},
		"setproduct":      {`length(setproduct(["a", "b"], ["c", "d"]))`, num(4)},
		"setsubtract":     {`length(setsubtract(["a", "b"], ["b"]))`, num(1)},
		"setunion":        {`length(setunion(["a"], ["b"]))`, num(2)},
		"signum":          {`signum(-7)`, num(-1)},
		"slice":           {`slice(["a", "b", "c"], 1, 2)`, cty.TupleVal([]cty.Value{str("b")})},
		"sort":            {`sort(["b", "a"])`, strs("a", "b")},
		"split":           {`split(",", "a,b")`, strs("a", "b")},
		"startswith":      {`startswith("b123", "b")`, cty.True},
		"strrev":          {`strrev("abc")`, str("cba")},
		"substr":          {`substr("Nováček", 0, 4)`, str("Nová")},
		"timeadd":         {`timeadd("2024-01-01T00:00:00Z", "1h")`, str("2024-01-01T01:00:00Z")},
		"title":           {`title("jiri novacek")`, str("Jiri Novacek")},
		"tobool":          {`tobool("true")`, cty.True},
		"tolist":          {`tolist(["a"])`, strs("a")},
		"tomap":           {`tomap({a = "x"})`, cty.MapVal(map[string]cty.Value{"a": str("x")})},
		"tonumber":        {`tonumber("42")`, num(42)},
		"toset":           {`toset(["a", "a"])`, cty.SetVal([]cty.Value{str("a")})},
		"tostring":        {`tostring(42)`, str("42")},
		"transliterate":   {`transliterate("Jiří")`, str("Jiri")},
		"trim":            {`trim("--a--", "-")`, str("a")},
		"trimprefix":      {`trimprefix("ext-jiri", "ext-")`, str("jiri")},
		"trimspace":       {`trimspace("  a  ")`, str("a")},
		"trimsuffix":      {`trimsuffix("jiri@corp", "@corp")`, str("jiri")},
		"try":             {`try(tonumber("x"), -1)`, num(-1)},
		"upper":           {`upper("jiří")`, str("JIŘÍ")},
		"values":          {`values({a = "x", b = "y"})`, cty.TupleVal([]cty.Value{str("x"), str("y")})},
		"zipmap":          {`zipmap(["a"], ["x"]).a`, str("x")},
	}
	for _, name := range NewFunctionTable(nil, nil).Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, ok := samples[name]
			if !ok {
				t.Fatalf("no sample call for %s; add one", name)
			}
			got, diags := evalFunc(t, s.expr, nil)
			checkFuncResult(t, got, diags, s.want, "")
		})
	}
}

func TestFuncStartsWithEndsWith(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr    string
		want    cty.Value
		wantErr string
	}{
		{`startswith("b123", "b")`, cty.True, ""},
		{`startswith("b123", "B")`, cty.False, ""},
		{`startswith("b123", "")`, cty.True, ""},
		{`startswith("", "b")`, cty.False, ""},
		{`startswith("Žluťoučký", "Žluť")`, cty.True, ""},
		{`startswith("Zlutoucky", "Žluť")`, cty.False, ""},
		{`endswith("jiri@example.org", ".org")`, cty.True, ""},
		{`endswith("jiri@example.org", ".com")`, cty.False, ""},
		{`endswith("kůň", "ůň")`, cty.True, ""},
		{`endswith("kůň", "")`, cty.True, ""},
		{`startswith(["b"], "b")`, cty.NilVal, "string required"},
		{`endswith("a", null)`, cty.NilVal, "must not be null"},
		{`startswith("a")`, cty.NilVal, "Not enough function arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			got, diags := evalFunc(t, tt.expr, nil)
			checkFuncResult(t, got, diags, tt.want, tt.wantErr)
		})
	}
}

func TestFuncTransliterate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"Jiří Nováček", "Jiri Novacek"},
		{"Łukasz Żółć", "Lukasz Zolc"},
		{"Straße", "Strasse"},
		{"Ærøskøbing", "AEroskobing"},
		{"Привет", "Privet"},
		{"jiri.novacek_2@example.org", "jiri.novacek_2@example.org"},
		{"", ""},
		{"e\u0301", "e"}, // decomposed é
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, diags := evalFunc(t, `transliterate(var.s)`, map[string]cty.Value{"s": cty.StringVal(tt.in)})
			checkFuncResult(t, got, diags, cty.StringVal(tt.want), "")
		})
	}
	t.Run("error", func(t *testing.T) {
		t.Parallel()
		got, diags := evalFunc(t, `transliterate(["a"])`, nil)
		checkFuncResult(t, got, diags, cty.NilVal, "string required")
	})
}

// TestFuncTerraformCompatible covers the functions whose go-cty namesakes
// differ from Terraform's.
func TestFuncTerraformCompatible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr    string
		want    cty.Value
		wantErr string
	}{
		{`coalesce("", "b")`, cty.StringVal("b"), ""},
		{`coalesce(null, "", "Jiří")`, cty.StringVal("Jiří"), ""},
		{`coalesce("a", "b")`, cty.StringVal("a"), ""},
		{`coalesce(null, 2, 3)`, cty.NumberIntVal(2), ""},
		{`coalesce(0, 1)`, cty.NumberIntVal(0), ""},
		{`coalesce(1, "x")`, cty.StringVal("1"), ""},
		{`coalesce("", null)`, cty.NilVal, "every argument is null or an empty string"},
		{`coalesce()`, cty.NilVal, "at least one argument"},
		{`coalesce("a", ["b"])`, cty.NilVal, "same type"},
		{`index(["a", "b", "b"], "b")`, cty.NumberIntVal(1), ""},
		{`index(tolist(["x", "ž"]), "ž")`, cty.NumberIntVal(1), ""},
		{`index([1, 2], 2)`, cty.NumberIntVal(1), ""},
		{`index(["a"], "z")`, cty.NilVal, "does not contain"},
		{`index("abc", "b")`, cty.NilVal, "must be a list or tuple"},
		{`length("")`, cty.NumberIntVal(0), ""},
		{`length("Nováček")`, cty.NumberIntVal(7), ""},
		{`length(["a", "b"])`, cty.NumberIntVal(2), ""},
		{`length({a = 1, b = 2, c = 3})`, cty.NumberIntVal(3), ""},
		{`length(tomap({a = 1}))`, cty.NumberIntVal(1), ""},
		{`length(toset(["a", "a"]))`, cty.NumberIntVal(1), ""},
		{`length(5)`, cty.NilVal, "must be a string, collection"},
		{`length(null)`, cty.NilVal, "must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			got, diags := evalFunc(t, tt.expr, nil)
			checkFuncResult(t, got, diags, tt.want, tt.wantErr)
		})
	}
}

func TestFuncEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr    string
		want    string
		wantErr string
	}{
		{`env("LDAP_PASSWORD")`, "s3cret", ""},
		{`env("EMPTY")`, "", ""},
		{`env("GREETING")`, "Dobrý den", ""},
		{`env("MISSING")`, "", "environment variable MISSING is not set"},
		{`env("ldap_password")`, "", "environment variable ldap_password is not set"},
		{`env("")`, "", "name must not be empty"},
		{`env("BROKEN")`, "", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			got, diags := evalFunc(t, tt.expr, nil)
			checkFuncResult(t, got, diags, cty.StringVal(tt.want), tt.wantErr)
			if tt.wantErr == "" && !got.HasMark(Sensitive) {
				t.Errorf("result %#v is not marked Sensitive", got)
			}
		})
	}
	t.Run("nil getenv is an empty environment", func(t *testing.T) {
		t.Parallel()
		_, err := NewFunctionTable(nil, nil)["env"].Call([]cty.Value{cty.StringVal("PATH")})
		if err == nil || !strings.Contains(err.Error(), "PATH is not set") {
			t.Fatalf("got error %v, want PATH is not set", err)
		}
	})
}

// recordingFS is a file system that records every call made to it, as
// "open NAME" or "stat NAME".
type recordingFS struct {
	fs.StatFS
	mu    sync.Mutex
	calls []string
}

func (r *recordingFS) Open(name string) (fs.File, error) {
	r.record("open " + name)
	return r.StatFS.Open(name)
}

func (r *recordingFS) Stat(name string) (fs.FileInfo, error) {
	r.record("stat " + name)
	return r.StatFS.Stat(name)
}

func (r *recordingFS) record(call string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
}

// opened reports whether any file was opened.
func (r *recordingFS) opened() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.calls, func(c string) bool { return strings.HasPrefix(c, "open ") })
}

func TestFuncFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path       string
		want       string
		wantErr    string
		wantTouch  bool // whether src may be asked for anything
		wantOpened bool // whether the file may be opened
	}{
		{path: "secrets/ldap.txt", want: "s3cret\n", wantTouch: true, wantOpened: true},
		{path: "./secrets//ldap.txt", want: "s3cret\n", wantTouch: true, wantOpened: true},
		{path: "names.txt", want: "Jiří Nováček\n", wantTouch: true, wantOpened: true},
		{path: "empty.txt", want: "", wantTouch: true, wantOpened: true},
		{path: "max.txt", want: strings.Repeat("a", maxFileBytes), wantTouch: true, wantOpened: true},
		{path: "dir/../names.txt", wantErr: "must be relative to the configuration directory"},
		{path: "../x", wantErr: "must be relative to the configuration directory"},
		{path: "..", wantErr: "must be relative to the configuration directory"},
		{path: "/etc/passwd", wantErr: "must be relative to the configuration directory"},
		{path: "a/../../x", wantErr: "must be relative to the configuration directory"},
		{path: "", wantErr: "must be relative to the configuration directory"},
		{path: `dir\..\x`, wantErr: "must be relative to the configuration directory"},
		{path: `secrets\ldap.txt`, wantErr: "must be relative to the configuration directory"},
		{path: "missing.txt", wantErr: "file does not exist", wantTouch: true},
		{path: "dir", wantErr: "not a regular file", wantTouch: true},
		{path: ".", wantErr: "not a regular file", wantTouch: true},
		{path: "big.txt", wantErr: "reads files of at most 1 MiB", wantTouch: true},
		{path: "binary.bin", wantErr: "not valid UTF-8", wantTouch: true, wantOpened: true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			src := &recordingFS{StatFS: funcTestFiles()}
			got, err := NewFunctionTable(src, nil)["file"].Call([]cty.Value{cty.StringVal(tt.path)})
			checkFileResult(t, got, err, tt.want, tt.wantErr)
			if len(src.calls) > 0 && !tt.wantTouch {
				t.Errorf("file system calls %q; want the path refused before any", src.calls)
			}
			if src.opened() && !tt.wantOpened {
				t.Errorf("file system calls %q; want the file refused before it is opened", src.calls)
			}
		})
	}
}

// checkFileResult checks a direct file() call: the content marked Sensitive,
// or an error containing wantErr.
func checkFileResult(t *testing.T, got cty.Value, err error, want, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("got %v (error %v), want error containing %q", got.GoString(), err, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if !got.HasMark(Sensitive) {
		t.Errorf("result is not marked Sensitive")
	}
	v, _ := got.Unmark()
	if s := v.AsString(); s != want {
		t.Fatalf("got %d bytes %.40q, want %d bytes %.40q", len(s), s, len(want), want)
	}
}

// TestFuncFileSymlinks reads through os.Root, as the loader does for real
// directories: a symlink inside the root works, one that leaves it does not.
func TestFuncFileSymlinks(t *testing.T) {
	t.Parallel()
	outside := filepath.Join(t.TempDir(), "secret.txt")
	dir := t.TempDir()
	writeTestFile(t, outside, "outside")
	writeTestFile(t, filepath.Join(dir, "data", "inside.txt"), "inside")
	symlinkOrSkip(t, outside, filepath.Join(dir, "link"))
	symlinkOrSkip(t, filepath.Join(dir, "data", "inside.txt"), filepath.Join(dir, "abs-inside"))
	symlinkOrSkip(t, filepath.Join("data", "inside.txt"), filepath.Join(dir, "rel-inside"))
	up, err := filepath.Rel(filepath.Join(dir, "data"), outside)
	if err != nil {
		t.Fatal(err)
	}
	symlinkOrSkip(t, up, filepath.Join(dir, "data", "up"))
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	file := NewFunctionTable(root.FS(), nil)["file"]

	tests := []struct {
		path, want, wantErr string
	}{
		{path: "data/inside.txt", want: "inside"},
		{path: "rel-inside", want: "inside"},
		{path: "link", wantErr: "escapes"},
		{path: "abs-inside", wantErr: "escapes"}, // absolute targets are refused even inside
		{path: "data/up", wantErr: "escapes"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			got, err := file.Call([]cty.Value{cty.StringVal(tt.path)})
			checkFileResult(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func writeTestFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlinkOrSkip(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
}

// TestFuncSensitiveMarks checks that marks survive calls, including nested
// ones and calls to functions that handle marks themselves.
func TestFuncSensitiveMarks(t *testing.T) {
	t.Parallel()
	vars := map[string]cty.Value{
		"x":     cty.StringVal("Jiří Nováček").Mark(Sensitive),
		"plain": cty.StringVal("plain"),
	}
	tests := []string{
		`transliterate(lower(var.x))`,
		`upper(var.x)`,
		`startswith(var.x, "J")`,
		`endswith("x", var.x)`,
		`join("-", [var.plain, var.x])`,
		`format("%s", var.x)`,
		`length(var.x)`,
		`index([var.plain, var.x], "Jiří Nováček")`,
		`jsonencode({a = var.x})`,
		`replace(var.x, " ", ".")`,
		`try(transliterate(var.x), "")`,
		`env("LDAP_PASSWORD")`,
		`file("secrets/ldap.txt")`,
		`env(var.plain == "" ? "" : "LDAP_PASSWORD")`,
		`lower(file("names.txt"))`,
	}
	for _, expr := range tests {
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			got := mustEvalFunc(t, expr, vars)
			if !got.HasMarkDeep(Sensitive) {
				t.Fatalf("%s = %#v, want it marked Sensitive", expr, got)
			}
		})
	}
	t.Run("plain input stays unmarked", func(t *testing.T) {
		t.Parallel()
		if got := mustEvalFunc(t, `transliterate(lower(var.plain))`, vars); got.ContainsMarked() {
			t.Fatalf("got %#v, want no marks", got)
		}
	})
	t.Run("unknown env name gives a sensitive unknown", func(t *testing.T) {
		t.Parallel()
		got := mustEvalFunc(t, `env(var.u)`, map[string]cty.Value{"u": cty.UnknownVal(cty.String)})
		if got.IsKnown() || !got.HasMark(Sensitive) {
			t.Fatalf("got %#v, want a sensitive unknown", got)
		}
	})
}

// TestFuncSensitiveErrorsRedacted checks that an error never quotes a
// Sensitive argument, while the same call on a plain value keeps the
// function's own message.
func TestFuncSensitiveErrorsRedacted(t *testing.T) {
	t.Parallel()
	const secret = "hunter2"
	tests := []string{
		`tobool(var.x)`,
		`tonumber(var.x)`,
		`parseint(var.x, 10)`,
		`timeadd(var.x, "1h")`,
		`jsondecode(var.x)`,
		`file(var.x)`,
		`env(var.x)`,
		`lower(tobool(var.x))`,
	}
	for _, expr := range tests {
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			_, diags := evalFunc(t, expr, map[string]cty.Value{"x": cty.StringVal(secret).Mark(Sensitive)})
			if !diags.HasErrors() {
				t.Fatalf("want an error")
			}
			if msg := diags.Error(); strings.Contains(msg, secret) || strings.Contains(msg, "hunt") {
				t.Fatalf("error reveals the value: %s", msg)
			}
			if !strings.Contains(diags.Error(), "sensitive value") {
				t.Fatalf("error %q does not say why details are hidden", diags.Error())
			}
			_, diags = evalFunc(t, expr, map[string]cty.Value{"x": cty.StringVal(secret)})
			if !diags.HasErrors() || strings.Contains(diags.Error(), "sensitive value") {
				t.Fatalf("plain value: got %v, want the function's own error", diags)
			}
		})
	}
}

func TestReplaceRegexSlashes(t *testing.T) {
	t.Parallel()
	table := NewFunctionTable(nil, nil)
	tests := []struct{ in, sub, repl, want string }{
		{"a.b.c", ".", "-", "a-b-c"},
		{"Jan Novák-2", "/[^a-zA-Z]/", "", "JanNovk"},
		{"john.smith", "/^(\\w+)\\.(\\w+)$/", "$2.$1", "smith.john"},
		{"/", "/", "x", "x"},
	}
	for _, tt := range tests {
		got, err := table["replace"].Call([]cty.Value{cty.StringVal(tt.in), cty.StringVal(tt.sub), cty.StringVal(tt.repl)})
		if err != nil || got.AsString() != tt.want {
			t.Errorf("replace(%q, %q, %q) = %v, %v; want %q", tt.in, tt.sub, tt.repl, got, err, tt.want)
		}
	}
}
