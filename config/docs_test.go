package config

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// languageDocPath is the language reference these tests keep true.
const languageDocPath = "../docs/language.md"

// TestLanguageDocCoversSchemas fails when docs/language.md does not document
// something the configuration language has: a top-level block, an attribute
// or nested block of any schema, a connector setting, an activity type or
// attribute, a situation, a reaction, a function or an enum value. Schema
// attributes must appear as a table row ("| `name` |") in their own section,
// marked **required** exactly when the schema requires them.
func TestLanguageDocCoversSchemas(t *testing.T) {
	t.Parallel()
	doc := readLanguageDoc(t)
	var missing []string
	report := func(format string, args ...any) { missing = append(missing, fmt.Sprintf(format, args...)) }

	for _, b := range rootSchema.Blocks {
		if _, ok := doc.section("## `"+b.Type+"`", false); !ok {
			report("top-level block `%s`: no section headed \"## `%s`\"", b.Type, b.Type)
		}
	}
	for _, st := range documentedSchemas() {
		checkSchemaTable(doc, st.heading, st.what, st.schema, report)
	}
	for _, name := range ConnectorNames() {
		checkConnectorTable(doc, name, report)
	}
	for _, typ := range ActivityTypes() {
		heading := "#### `" + typ + "` activity"
		checkSchemaTable(doc, heading, "activity "+typ, ActivitySchemas[typ], report)
		checkPolicyBlocksAbsent(doc, heading, ActivitySchemas[typ], report)
	}
	for _, m := range documentedMentions(t) {
		text, ok := doc.section(m.heading, m.deep)
		if !ok {
			report("%s: no section headed %q", m.what, m.heading)
			continue
		}
		for _, name := range m.names {
			if !strings.Contains(text, "`"+name+"`") {
				report("%s `%s` is not mentioned in section %q", m.what, name, m.heading)
			}
		}
	}
	for _, dc := range documentedDefaults() {
		checkDefault(doc, dc, report)
	}
	if len(missing) > 0 {
		t.Errorf("%s does not document %d item(s):\n  %s", languageDocPath, len(missing), strings.Join(missing, "\n  "))
	}
}

// TestLanguageDocReactionTable checks the situation/reaction matrix against
// allowedReactions and DefaultReactions: "**default**" for the default
// reaction, "yes" for an allowed one, "—" for the others.
func TestLanguageDocReactionTable(t *testing.T) {
	t.Parallel()
	doc := readLanguageDoc(t)
	text, ok := doc.section("#### `reactions`", false)
	if !ok {
		t.Fatal("no section headed \"#### `reactions`\"")
	}
	header := "| reaction |"
	for _, s := range Situations {
		header += " `" + string(s) + "` |"
	}
	at := strings.Index(text, header+"\n")
	if at < 0 {
		t.Fatalf("the reactions section has no matrix with the header %q", header)
	}
	text = text[at:]
	for _, r := range reactionConstants(t) {
		cells, ok := tableRow(text, r)
		if !ok || len(cells) != len(Situations)+1 {
			t.Errorf("matrix row for `%s` missing or not %d columns wide", r, len(Situations)+1)
			continue
		}
		for i, s := range Situations {
			want := "—"
			switch {
			case DefaultReactions[s] == Reaction(r):
				want = "**default**"
			case contains(allowedReactions[s], Reaction(r)):
				want = "yes"
			}
			if got := cells[i+1]; got != want {
				t.Errorf("matrix cell (%s, %s) = %q, want %q", r, s, got, want)
			}
		}
	}
}

// TestLanguageDocExamples parses every ```hcl block of the reference, and
// loads as a whole configuration each one preceded by
// "<!-- doc-test: valid -->", expecting no diagnostics.
func TestLanguageDocExamples(t *testing.T) {
	t.Parallel()
	doc := readLanguageDoc(t)
	blocks := doc.hclBlocks()
	if len(blocks) == 0 {
		t.Fatal("no ```hcl examples found")
	}
	valid := 0
	for _, b := range blocks {
		if _, diags := hclparse.NewParser().ParseHCL([]byte(b.src), "example.hcl"); diags.HasErrors() {
			t.Errorf("the example at line %d of %s does not parse:\n%s", b.line, languageDocPath, diagnosticLines(diags))
			continue
		}
		if !b.valid {
			continue
		}
		valid++
		fsys := fstest.MapFS{"main.hcl": {Data: []byte(b.src)}}
		if _, diags := LoadFS(fsys, "", LoadOptions{AllowUnsetVariables: true}); len(diags) > 0 {
			t.Errorf("the example at line %d of %s is marked valid but loads with diagnostics:\n%s", b.line, languageDocPath, diagnosticLines(diags))
		}
	}
	if valid == 0 {
		t.Error("no example is marked <!-- doc-test: valid -->")
	}
}

// diagnosticLines prints every diagnostic on its own line (diags.Error()
// shows only the first).
func diagnosticLines(diags hcl.Diagnostics) string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, "  "+d.Error())
	}
	return strings.Join(lines, "\n")
}

// schemaSection names a schema and the section whose table documents it.
type schemaSection struct {
	heading string
	what    string
	schema  *hcl.BodySchema
}

func documentedSchemas() []schemaSection {
	return []schemaSection{
		{"## `syncline`", "syncline block", settingsSchema},
		{"### `sync`", "sync block", syncSchema},
		{"### `console`", "console block", consoleSchema},
		{"#### `token`", "console token block", consoleTokenSchema},
		{"## `variable`", "variable block", variableSchema},
		{"## `schedule`", "schedule block", scheduleSchema},
		{"## `resource`", "resource block", resourceSchema},
		{"### `object_type`", "object_type block", objectTypeSchema},
		{"#### `activation`", "activation block", activationSchema},
		{"#### Entitlements: `group` and `association`", "group and association blocks", groupSchema},
		{"#### Entitlements: `group` and `association`", "group and association blocks", associationSchema},
		{"## `task`", "task block", taskSchema},
		{"### `retry`", "retry block", retrySchema},
		{"### `notify`", "notify block", notifySchema},
		{"### `thresholds`", "thresholds block", thresholdsSchema},
		{"### `errors`", "errors block", errorsSchema},
		{"## `moved`", "moved block", movedSchema},
	}
}

// mention is a list of names that must each appear in backticks in a
// section (deep: including its subsections).
type mention struct {
	heading string
	deep    bool
	what    string
	names   []string
}

func documentedMentions(t *testing.T) []mention {
	situations := situationConstants(t)
	for _, s := range Situations {
		if !contains(situations, string(s)) {
			situations = append(situations, string(s))
		}
	}
	quoted := func(items ...string) []string {
		out := make([]string, len(items))
		for i, s := range items {
			out[i] = strconv.Quote(s)
		}
		return out
	}
	return []mention{
		{"#### `reactions`", false, "situation", situations},
		{"#### `reactions`", false, "reaction", reactionConstants(t)},
		{"## Functions", true, "function", NewFunctionTable(nil, nil).Names()},
		{"## Expressions", true, "shadow field", ShadowFields},
		{"## Expressions", true, "expression root", []string{RootAttributes, RootUser, RootShadow, RootVar, RootLocal}},
		{"## `resource`", false, "connector", quoted(ConnectorNames()...)},
		{"## `schedule`", false, "misfire policy", quoted(misfirePolicies...)},
		{"## `task`", false, "mode", quoted(Modes...)},
		{"## `task`", false, "concurrency policy", quoted(Concurrencies...)},
		{"### `notify`", false, "run outcome", quoted(RunOutcomes...)},
		{"### `object_type`", false, "deprovision choice", quoted(deprovisionChoices...)},
		{"### `activity`", false, "activity type", ActivityTypes()},
		{"#### `reconciliation` activity", false, "reconciliation stage", quoted(ReconciliationStages...)},
		{"#### `report` activity", false, "report source", quoted(ReportSources...)},
		{"#### `report` activity", false, "report format", quoted(ReportFormats...)},
		{"### `sync`", false, "sync policy", quoted(SyncAutoApply, SyncPlanOnly)},
		{"### `errors`", false, "error action", quoted(ErrorsContinue, ErrorsStop)},
	}
}

// defaultCheck is a default value the code sets and the table row of the
// attribute must show in its default column.
type defaultCheck struct {
	heading, attr, want string
}

func documentedDefaults() []defaultCheck {
	q := strconv.Quote
	n := strconv.Itoa
	out := []defaultCheck{
		{"## `syncline`", "state", q(DefaultState)},
		{"### `sync`", "branch", q(DefaultSyncBranch)},
		{"### `sync`", "policy", q(DefaultSyncPolicy)},
		{"## `schedule`", "timezone", q("UTC")},
		{"## `schedule`", "misfire", q(MisfireRunOnce)},
		{"## `schedule`", "max_catch_up", n(DefaultMaxCatchUp)},
		{"### `object_type`", "intent", q(DefaultIntent)},
		{"### `object_type`", "deprovision", q(DeprovisionDelete)},
		{"## `task`", "priority", n(DefaultPriority)},
		{"## `task`", "enabled", "true"},
		{"## `task`", "mode", q(string(ModeFull))},
		{"## `task`", "concurrency", q(ConcurrencyForbid)},
		{"### `retry`", "backoff", q(shortDuration(DefaultBackoff))},
		{"### `retry`", "max_backoff", q(shortDuration(DefaultMaxBackoff))},
		{"### `notify`", "on", "[" + q("failed") + "]"},
		{"### `errors`", "action", q(ErrorsContinue)},
		{"#### `live_sync` activity", "batch_size", n(DefaultBatchSize)},
		{"#### `async_update` activity", "prefetch", n(DefaultPrefetch)},
		{"#### `report` activity", "format", q(ReportFormats[0])},
	}
	for _, typ := range ActivityTypes() {
		heading := "#### `" + typ + "` activity"
		for _, a := range ActivitySchemas[typ].Attributes {
			switch a.Name {
			case "name":
				out = append(out, defaultCheck{heading, "name", q(typ)})
			case "kind":
				out = append(out, defaultCheck{heading, "kind", q(DefaultKind)})
			case "intent":
				out = append(out, defaultCheck{heading, "intent", q(DefaultIntent)})
			case "threads":
				out = append(out, defaultCheck{heading, "threads", "1"})
			}
		}
	}
	return out
}

// checkSchemaTable checks that the section holds a table row for every
// attribute and block of schema, marked **required** exactly when required.
func checkSchemaTable(doc markdownDoc, heading, what string, schema *hcl.BodySchema, report func(string, ...any)) {
	text, ok := doc.section(heading, false)
	if !ok {
		report("%s: no section headed %q", what, heading)
		return
	}
	for _, a := range schema.Attributes {
		row, ok := tableRowText(text, a.Name)
		switch {
		case !ok:
			report("%s attribute `%s`: no table row in section %q", what, a.Name, heading)
		case a.Required != strings.Contains(row, "**required**"):
			report("%s attribute `%s`: the row must say **required** if and only if the schema requires it (required=%v)", what, a.Name, a.Required)
		}
	}
	for _, b := range schema.Blocks {
		if _, ok := tableRowText(text, b.Type); !ok {
			report("%s nested block `%s`: no table row in section %q", what, b.Type, heading)
		}
	}
}

// checkPolicyBlocksAbsent checks that an activity's table does not offer a
// thresholds or errors block its schema refuses.
func checkPolicyBlocksAbsent(doc markdownDoc, heading string, schema *hcl.BodySchema, report func(string, ...any)) {
	text, ok := doc.section(heading, false)
	if !ok {
		return
	}
	for _, pb := range policyBlocks {
		allowed := false
		for _, b := range schema.Blocks {
			allowed = allowed || b.Type == pb.Type
		}
		if _, has := tableRowText(text, pb.Type); has && !allowed {
			report("section %q lists a `%s` block, which this activity does not accept", heading, pb.Type)
		}
	}
}

// checkConnectorTable checks a connector's settings table: a row for every
// setting, with its HCL type, **required** and "Always redacted" exactly
// when the Connectors table says so, and every enum value mentioned.
func checkConnectorTable(doc markdownDoc, connector string, report func(string, ...any)) {
	heading := "#### `" + connector + "` connector"
	text, ok := doc.section(heading, false)
	if !ok {
		report("connector %s: no section headed %q", connector, heading)
		return
	}
	for _, a := range Connectors[connector] {
		cells, ok := tableRow(text, a.Name)
		if !ok || len(cells) < 4 {
			report("connector %s setting `%s`: no table row (setting | type | default | meaning) in section %q", connector, a.Name, heading)
			continue
		}
		row := strings.Join(cells, " | ")
		if want := "`" + typeexpr.TypeString(a.Type) + "`"; cells[1] != want {
			report("connector %s setting `%s`: type column is %s, want %s", connector, a.Name, cells[1], want)
		}
		if a.Required != strings.Contains(row, "**required**") {
			report("connector %s setting `%s`: the row must say **required** if and only if it is required (required=%v)", connector, a.Name, a.Required)
		}
		if a.Secret != strings.Contains(row, "Always redacted") {
			report("connector %s setting `%s`: the row must say \"Always redacted\" if and only if it is secret (secret=%v)", connector, a.Name, a.Secret)
		}
		for _, e := range a.Enum {
			if !strings.Contains(row, "`"+strconv.Quote(e)+"`") {
				report("connector %s setting `%s`: choice `%q` is not mentioned in its row", connector, a.Name, e)
			}
		}
	}
}

func checkDefault(doc markdownDoc, dc defaultCheck, report func(string, ...any)) {
	text, ok := doc.section(dc.heading, false)
	if !ok {
		return // reported by the coverage checks
	}
	cells, ok := tableRow(text, dc.attr)
	if !ok || len(cells) < 3 {
		return // reported by the coverage checks
	}
	if want := "`" + dc.want + "`"; !strings.Contains(cells[2], want) {
		report("section %q: the default of `%s` is %s, want %s", dc.heading, dc.attr, cells[2], want)
	}
}

// shortDuration writes a whole duration as the language does: "1m", "1h", "7d".
func shortDuration(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// situationConstants and reactionConstants read every constant of type
// Situation or Reaction declared in the package's source, so that a new
// constant cannot go undocumented even before a table uses it.
func situationConstants(t *testing.T) []string { return typedStringConstants(t, "Situation") }
func reactionConstants(t *testing.T) []string  { return typedStringConstants(t, "Reaction") }

func typedStringConstants(t *testing.T, typeName string) []string {
	t.Helper()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typeName {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						out = append(out, s)
					}
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("found no constants of type %s in the package source", typeName)
	}
	return out
}

// markdownDoc is the reference split into lines, with headings known
// outside code fences.
type markdownDoc struct {
	lines   []string
	heading []int // heading level of each line, 0 for body and fenced lines
}

func readLanguageDoc(t *testing.T) markdownDoc {
	t.Helper()
	src, err := os.ReadFile(languageDocPath)
	if err != nil {
		t.Fatalf("the language reference is missing: %v", err)
	}
	doc := markdownDoc{lines: strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")}
	doc.heading = make([]int, len(doc.lines))
	fenced := false
	for i, line := range doc.lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if !fenced && strings.HasPrefix(line, "#") {
			doc.heading[i] = len(line) - len(strings.TrimLeft(line, "#"))
		}
	}
	return doc
}

// section returns the text under the heading line equal to heading, up to
// the next heading (deep: the next heading of the same or a higher level).
func (d markdownDoc) section(heading string, deep bool) (string, bool) {
	for i, line := range d.lines {
		if d.heading[i] == 0 || strings.TrimSpace(line) != heading {
			continue
		}
		level := d.heading[i]
		end := len(d.lines)
		for j := i + 1; j < len(d.lines); j++ {
			if h := d.heading[j]; h > 0 && (!deep || h <= level) {
				end = j
				break
			}
		}
		return strings.Join(d.lines[i+1:end], "\n"), true
	}
	return "", false
}

// tableRow returns the trimmed cells of the table row whose first cell is
// `name`. An escaped pipe (\|) inside a cell does not split it.
func tableRow(text, name string) ([]string, bool) {
	row, ok := tableRowText(text, name)
	if !ok {
		return nil, false
	}
	const placeholder = "\x00"
	row = strings.ReplaceAll(row, `\|`, placeholder)
	parts := strings.Split(strings.Trim(strings.TrimSpace(row), "|"), "|")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.TrimSpace(p), placeholder, `\|`)
	}
	return parts, true
}

func tableRowText(text, name string) (string, bool) {
	prefix := "| `" + name + "` |"
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			return line, true
		}
	}
	return "", false
}

// hclExample is one ```hcl block of the reference.
type hclExample struct {
	line  int // 1-based line of the opening fence
	src   string
	valid bool // preceded by <!-- doc-test: valid -->
}

func (d markdownDoc) hclBlocks() []hclExample {
	var out []hclExample
	for i := 0; i < len(d.lines); i++ {
		if strings.TrimSpace(d.lines[i]) != "```hcl" {
			continue
		}
		ex := hclExample{line: i + 1, valid: i > 0 && strings.TrimSpace(d.lines[i-1]) == "<!-- doc-test: valid -->"}
		var body []string
		for i++; i < len(d.lines) && strings.TrimSpace(d.lines[i]) != "```"; i++ {
			body = append(body, d.lines[i])
		}
		ex.src = strings.Join(body, "\n") + "\n"
		out = append(out, ex)
	}
	return out
}
