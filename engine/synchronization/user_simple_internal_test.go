package synchronization

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// userFormCases are expressions over a user, as outbound mappings and
// provision_when; simple says whether each has a simple form.
var userFormCases = []struct {
	src    string
	simple bool
	when   bool // a condition, also tried as provision_when
}{
	{`user.name`, true, false},
	{`user.status`, true, false},
	{`user.email`, true, false},
	{`user.dept`, true, false},
	{`"${user.given} ${user.family}"`, true, false},
	{`upper("${user.given} ${user.family}")`, true, false},
	{`lower(user.email)`, true, false},
	{`"${user.name}"`, true, false},
	{`"fixed"`, true, false},
	{`""`, true, false},
	{`true`, true, true},
	{`false`, true, true},
	{`(user.email)`, true, false},
	{`user.status == "active"`, true, true},
	{`user.status != "active"`, true, true},
	{`user.dept == "sales"`, true, true},
	{`user.dept != "sales"`, true, true},
	{`user.dept == user.email`, true, true},
	{`"active" == user.status`, true, true},
	{`user.status == "active" ? "enabled" : "disabled"`, true, false},
	{`user.dept == "sales" ? user.email : user.name`, true, false},
	{`user.dept != "sales" ? true : false`, true, true},
	{`user.status == "active" ? user.dept : user.name`, true, false},
	// hcl's, through the fallback:
	{`user.dept == null`, false, true},
	{`user.status == "active" && user.dept != "sales"`, false, true},
	{`"${user.name}@${var.domain}"`, false, false},
	{`var.secret`, false, false},
	{`[user.name, user.email]`, false, false},
	{`user.status == "active" ? null : "no"`, false, false},
	{`trimspace(user.email)`, false, false},
	{`coalesce(user.dept, "none")`, false, false},
	{`user["email"]`, false, false},
}

// userFormUsers are the users the cases are evaluated over: attributes
// absent and empty, strings not in NFC, a value over the limits.
var userFormUsers = []*state.User{
	{ID: 1, Name: "jnovak", Status: state.UserActive, Attributes: map[string]string{
		"given": "Jiří", "family": "Novák", "email": "J.Novak@Example.com", "dept": "sales"}},
	{ID: 2, Name: "ab", Status: state.UserDisabled, Attributes: map[string]string{"given": "", "family": "x", "email": "", "dept": "it"}},
	{ID: 3, Name: "e\u0301", Status: state.UserActive, Attributes: map[string]string{"given": "e\u0301", "family": "Ko\u0308nig"}},
	{ID: 4, Name: "bare", Status: state.UserActive},
	{ID: 5, Name: "big", Status: state.UserActive, Attributes: map[string]string{"email": strings.Repeat("a", config.MaxValueBytes+1), "dept": "sales"}},
	{ID: 6, Name: "named", Status: state.UserActive, Attributes: map[string]string{"name": "shadowed", "status": "x", "dept": "sales"}},
}

// The simple forms of outbound mappings and provision_when give exactly
// what hcl gives — values, nil against empty, errors — for every case and
// user; the expressions are loaded as a configuration, so they carry the
// loader's limit wrapping as in a run.
func TestUserFormsAnswerAsHCL(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`variable "domain" {
  default = "example.com"
}
variable "secret" {
  default   = "s3cret"
  sensitive = true
}
`)
	for i, c := range userFormCases {
		when := ""
		if c.when {
			when = "provision_when = " + c.src
		}
		fmt.Fprintf(&b, `resource "r%02d" {
  connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = "r.db"
    table  = "accounts"
    key    = "login"
  }
  object_type "account" {
    %s
    outbound {
      login = user.name
      value = %s
    }
  }
}
`, i, when, c.src)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.LoadDir(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	w := newWorld(&Job{Config: cfg})
	if len(w.types) != len(userFormCases) {
		t.Fatalf("%d types, want %d", len(w.types), len(userFormCases))
	}
	for i, c := range userFormCases {
		rt := w.types[i]
		if got := rt.outboundForms[1] != nil; got != c.simple {
			t.Errorf("%s: outbound simple form %v, want %v", c.src, got, c.simple)
		}
		if got := rt.whenForm != nil; got != (c.simple && c.when) {
			t.Errorf("%s: provision_when simple form %v, want %v", c.src, got, c.simple)
		}
		hclOnly := *rt
		hclOnly.outboundForms, hclOnly.whenForm = make([]simpleExpr, len(rt.outboundForms)), nil
		for _, u := range userFormUsers {
			got, gotErr := w.userEval(u).outbound(rt)
			want, wantErr := w.userEval(u).outbound(&hclOnly)
			if !reflect.DeepEqual(got, want) || errText(gotErr) != errText(wantErr) {
				t.Errorf("outbound %s over %s: %#v, %v; hcl %#v, %v", c.src, u.Name, got, gotErr, want, wantErr)
			}
			gotWant, gotErr := w.userEval(u).wants(rt)
			wantWant, wantErr := w.userEval(u).wants(&hclOnly)
			if gotWant != wantWant || errText(gotErr) != errText(wantErr) {
				t.Errorf("provision_when %s over %s: %v, %v; hcl %v, %v", c.src, u.Name, gotWant, gotErr, wantWant, wantErr)
			}
			if when := rt.ot.ProvisionWhen; when != nil {
				// The same condition as a recompute's filter.
				gotWant, gotErr = w.userCondition("provision_when", when)(u)
				if gotWant != wantWant || errText(gotErr) != errText(wantErr) {
					t.Errorf("filter %s over %s: %v, %v; hcl %v, %v", c.src, u.Name, gotWant, gotErr, wantWant, wantErr)
				}
			}
		}
	}
}

// A simple form answers what hcl answers, value for value, whenever it
// answers at all.
func TestUserFormValues(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("resource \"r\" {\n  connector = \"sql\"\n  connection {\n    driver = \"sqlite\"\n    dsn = \"r.db\"\n    table = \"a\"\n    key = \"login\"\n  }\n  object_type \"account\" {\n    outbound {\n")
	var simple []string
	for _, c := range userFormCases {
		if c.simple {
			simple = append(simple, c.src)
			fmt.Fprintf(&b, "      v%02d = %s\n", len(simple)-1, c.src)
		}
	}
	b.WriteString("    }\n  }\n}\n")
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.LoadDir(dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	w := newWorld(&Job{Config: cfg})
	rt := w.types[0]
	answered := map[string]bool{}
	for _, u := range userFormUsers {
		ue := w.userEval(u)
		for i, m := range rt.ot.Outbound {
			got, known := rt.outboundForms[i](&ue.src)
			if !known {
				continue
			}
			answered[m.Target] = true
			want, diags := config.Evaluate(m.Expr, ue.ctx(rt))
			if diags.HasErrors() {
				t.Errorf("%s over %s: simple %+v, hcl fails: %s", simple[i], u.Name, got, diags)
				continue
			}
			if !sameSimple(got, want) {
				t.Errorf("%s over %s: simple %+v, hcl %#v", simple[i], u.Name, got, want)
			}
		}
	}
	if len(answered) != len(simple) {
		t.Errorf("%d of %d simple forms ever answered", len(answered), len(simple))
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
