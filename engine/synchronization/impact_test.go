package synchronization_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
)

const legacyCSV = `uid,login,mail
l1,zed,alice@hr.example
l2,bob,bob@hr.example
`

// legacyResource is a read-only resource whose objects correlate by
// login; extra goes into its object type.
func legacyResource(correlate, extra string) string {
	return `
resource "legacy" {
  connector = "csv"
  connection {
    path       = "legacy.csv"
    identifier = "uid"
  }
  object_type "account" {
    correlate {
      ` + correlate + `
    }
` + extra + `
  }
}
task "legacy-reconcile" {
  activity "reconciliation" {
    resource = resource.legacy
  }
}
`
}

// impactConfig is the scenario's configuration with the pieces a case
// changes.
type impactConfig struct {
	hrExtra, appExtra, legacyCorrelate, legacyExtra string
	noLegacy                                        bool
	provisionWhen                                   string
	hrEmail, appFullName                            string
	// domain, when set, declares variable "domain" with that default and
	// builds the app's e-mail from it.
	domain string
}

func (c impactConfig) hcl() string {
	hr := hrResource(c.hrExtra)
	if c.hrEmail != "" {
		hr = strings.Replace(hr, "email           = attributes.email", "email           = "+c.hrEmail, 1)
	}
	app := appResource(sqliteApp, c.appExtra)
	if c.provisionWhen != "" {
		app = strings.Replace(app, `provision_when = user.status == "active"`, "provision_when = "+c.provisionWhen, 1)
	}
	if c.appFullName != "" {
		app = strings.Replace(app, `full_name = "${user.given_name} ${user.family_name}"`, "full_name = "+c.appFullName, 1)
	}
	if c.domain != "" {
		app = strings.Replace(app, "email     = user.email", `email     = "${user.name}@${var.domain}"`, 1)
		app = "variable \"domain\" {\n  default = \"" + c.domain + "\"\n}\n" + app
	}
	out := hr + app + tasks("")
	if !c.noLegacy {
		corr := c.legacyCorrelate
		if corr == "" {
			corr = "name = attributes.login"
		}
		out += legacyResource(corr, c.legacyExtra)
	}
	return out
}

// previewTasks are the runs whose changes, together, an impact equals:
// every object type reconciled, then every user recomputed.
var previewTasks = []string{"hr-reconcile", "app-reconcile", "legacy-reconcile", "recompute"}

// synced sets up the scenario and runs every task in full until the
// repository is in step with the configuration and the resources.
func synced(t *testing.T, c impactConfig) *bundle {
	t.Helper()
	b := setup(t, map[string]string{"hr.csv": hrCSV, "legacy.csv": legacyCSV, "main.hcl": c.hcl()})
	for _, task := range []string{"hr-import", "app-reconcile", "legacy-reconcile", "hr-reconcile", "recompute"} {
		mustSucceed(t, b.run(t, task, "full"))
	}
	return b
}

// impact evaluates the bundle's configuration over its store.
func (b *bundle) impact(t *testing.T) *planner.Impact {
	t.Helper()
	cfg, diags := config.LoadDir(b.dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	ib := planner.NewImpactBuilder(100_000)
	if err := synchronization.Impact(b.ctx, b.store, cfg, ib, synchronization.ImpactOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := b.store.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	ib.UnmanagedResources(cfg, snap.ShadowCounts)
	return ib.Impact(cfg)
}

// impactLines are the impact's samples in the form bundle.changes gives
// a run's changes; situation changes, unmanaged counts and errors aside.
func impactLines(imp *planner.Impact) []string {
	var out []string
	for _, s := range imp.Samples {
		if s.Kind == planner.ImpactSituation || s.Kind == planner.ImpactError {
			continue
		}
		obj, op := "account", map[string]string{planner.ImpactCreate: "create", planner.ImpactModify: "modify",
			planner.ImpactRename: "rename", planner.ImpactDisable: "disable", planner.ImpactDelete: "delete"}[s.Kind]
		if op == "" {
			obj = "user"
			op = map[string]string{planner.ImpactUserAdd: "add", planner.ImpactUserModify: "modify",
				planner.ImpactUserDisable: "disable", planner.ImpactUserEnable: "enable", planner.ImpactUserDelete: "delete",
				planner.ImpactLink: "link", planner.ImpactUnlink: "unlink"}[s.Kind]
		}
		if m := map[string]string{planner.ImpactMemberAdd: "add", planner.ImpactMemberRemove: "remove",
			planner.ImpactMemberTolerate: "tolerate"}[s.Kind]; m != "" {
			obj, op = "membership", m
		}
		line := obj + " " + op + " " + s.User
		switch obj {
		case "account":
			line += " " + s.Resource + "/" + s.Identifier
		case "membership":
			line += " " + s.Identifier
		}
		attrs := slices.Clone(s.Attributes)
		slices.SortFunc(attrs, func(a, b planner.ImpactAttribute) int { return strings.Compare(a.Name, b.Name) })
		for _, a := range attrs {
			line += fmt.Sprintf(" %s:%v→%v", a.Name, a.Before, a.After)
		}
		out = append(out, line)
	}
	slices.Sort(out)
	return out
}

// previewLines runs every task of previewTasks the configuration has in
// preview mode and returns the union of their changes.
func (b *bundle) previewLines(t *testing.T, c impactConfig) []string {
	t.Helper()
	var out []string
	for _, task := range previewTasks {
		if c.noLegacy && task == "legacy-reconcile" {
			continue
		}
		run := b.run(t, task, "preview")
		mustSucceed(t, run)
		for _, line := range b.changes(t, run.ID) {
			if !slices.Contains(out, line) {
				out = append(out, line)
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestImpactEqualsPreview(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		base, change impactConfig
		// check looks at the impact beyond its equality with the preview.
		check func(t *testing.T, imp *planner.Impact)
	}{
		{"inbound email domain", impactConfig{}, impactConfig{hrEmail: `replace(attributes.email, "@hr.example", "@corp.example")`},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{UsersModified: 4, Modifications: 3})
				if len(imp.UserAttributes) != 1 || imp.UserAttributes[0] != (planner.AttributeCount{Name: "email", Count: 4}) {
					t.Errorf("user attributes = %v", imp.UserAttributes)
				}
			}},
		{"outbound full name", impactConfig{}, impactConfig{appFullName: `upper("${user.given_name} ${user.family_name}")`},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{Modifications: 3})
			}},
		{"provision_when narrowed", impactConfig{}, impactConfig{provisionWhen: `user.status == "active" && user.family_name != "Baker"`},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{Deletions: 1})
			}},
		{"provision_when widened", impactConfig{}, impactConfig{provisionWhen: `true`},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{Creations: 1})
			}},
		{"correlation", impactConfig{}, impactConfig{legacyCorrelate: "email = attributes.mail"},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{Links: 1, SituationChanges: 1})
			}},
		{"reaction", impactConfig{}, impactConfig{legacyExtra: `reactions {
      unmatched = "delete_resource_object"
    }`},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{Deletions: 1})
			}},
		{"resource removed", impactConfig{}, impactConfig{noLegacy: true},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{Unmanaged: 2})
			}},
		{"variable", impactConfig{domain: "app.example"}, impactConfig{domain: "corp.example"},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{Modifications: 3})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := synced(t, tc.base)
			if got := impactLines(b.impact(t)); len(got) != 0 {
				t.Fatalf("the unchanged configuration has an impact: %v", got)
			}
			b.write(t, map[string]string{"main.hcl": tc.change.hcl()})
			b.apply(t)
			imp := b.impact(t)
			got, want := impactLines(imp), b.previewLines(t, tc.change)
			t.Logf("impact: %+v\n%s", imp.Totals, strings.Join(got, "\n"))
			if d := diffLines(want, got); d != "" {
				t.Errorf("impact differs from the preview runs:\n%s", d)
			}
			if len(want) == 0 && tc.change.noLegacy == false {
				t.Error("the change has no effect in preview: the case tests nothing")
			}
			tc.check(t, imp)
		})
	}
}

func wantCounts(t *testing.T, got, want planner.ImpactCounts) {
	t.Helper()
	if got != want {
		t.Errorf("totals = %+v\nwant     %+v", got, want)
	}
}

// TestImpactThresholdAndSecret: a narrowed provision_when that deletes
// more accounts than app-reconcile allows names the threshold; an
// outbound mapping reading a sensitive variable is every account's error,
// and the secret is in no view of the impact.
func TestImpactThresholdAndSecret(t *testing.T) {
	t.Parallel()
	const secret = "Sup3r-Secret-Impact"
	base := impactConfig{}
	b := setup(t, map[string]string{"hr.csv": hrCSV, "legacy.csv": legacyCSV,
		"main.hcl": strings.Replace(base.hcl(), tasks(""), tasks("thresholds {\n max_deletions = 1\n}"), 1)})
	for _, task := range []string{"hr-import", "app-reconcile", "legacy-reconcile", "hr-reconcile", "recompute"} {
		mustSucceed(t, b.run(t, task, "full"))
	}
	narrowed := impactConfig{provisionWhen: `user.status == "active" && user.given_name == "Alice"`}
	b.write(t, map[string]string{"main.hcl": strings.Replace(narrowed.hcl(), tasks(""), tasks("thresholds {\n max_deletions = 1\n}"), 1)})
	b.apply(t)
	imp := b.impact(t)
	want := []planner.ThresholdExceeded{{Task: "app-reconcile", Activity: "reconciliation", Resource: "app", Kind: "account",
		Intent: "default", What: "deletions", Limit: 1, Count: 2}}
	if !slices.Equal(imp.Thresholds, want) {
		t.Errorf("thresholds = %+v\nwant %+v", imp.Thresholds, want)
	}

	leaky := impactConfig{appFullName: "var.pw"}
	b.write(t, map[string]string{"main.hcl": "variable \"pw\" {\n  type      = string\n  sensitive = true\n  default   = \"" + secret + "\"\n}\n" + leaky.hcl()})
	b.apply(t)
	imp = b.impact(t)
	if imp.Totals.Errors != 3 || imp.Totals.Modifications != 0 {
		t.Errorf("a secret in an outbound mapping: totals %+v, want 3 errors and nothing modified", imp.Totals)
	}
	for name, out := range renderImpact(t, imp) {
		if strings.Contains(out, secret) {
			t.Errorf("the %s view holds the secret:\n%s", name, out)
		}
	}
}

// renderImpact renders imp in the three views, by name.
func renderImpact(t *testing.T, imp *planner.Impact) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, render := range map[string]func(*strings.Builder) error{
		"text": func(w *strings.Builder) error {
			return views.RenderText(w, &planner.Plan{Impact: imp}, views.TextOptions{})
		},
		"markdown": func(w *strings.Builder) error { return views.RenderMarkdown(w, &planner.Plan{Impact: imp}) },
		"json":     func(w *strings.Builder) error { return planner.RenderJSON(w, &planner.Plan{Impact: imp}) },
	} {
		var b strings.Builder
		if err := render(&b); err != nil {
			t.Fatal(err)
		}
		out[name] = b.String()
	}
	return out
}

// TestImpactTruncated: a bound ends the evaluation with a note, not an
// error, and the counts are what was evaluated.
func TestImpactTruncated(t *testing.T) {
	t.Parallel()
	b := synced(t, impactConfig{})
	b.write(t, map[string]string{"main.hcl": impactConfig{appFullName: `upper(user.name)`}.hcl()})
	b.apply(t)
	cfg, diags := config.LoadDir(b.dir, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for name, opts := range map[string]synchronization.ImpactOptions{
		"objects":  {MaxObjects: 2},
		"duration": {MaxDuration: time.Nanosecond},
	} {
		ib := planner.NewImpactBuilder(0)
		if err := synchronization.Impact(b.ctx, b.store, cfg, ib, opts); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		imp := ib.Impact(cfg)
		if !strings.HasPrefix(imp.Truncated, "impact truncated: ") {
			t.Errorf("%s: truncated = %q", name, imp.Truncated)
		}
		if imp.Totals.Modifications >= 3 {
			t.Errorf("%s: %d modifications counted past the bound", name, imp.Totals.Modifications)
		}
	}
}

// TestImpactOfASourceAndATargetChange: when a source's inbound mappings
// and a target's outbound mappings change together, the impact is what
// the full runs in order (reconcile the source, then the target, then
// recompute) do: each account modified once, from the users' new values —
// not the union of two previews, each of which sees only its own half.
func TestImpactOfASourceAndATargetChange(t *testing.T) {
	t.Parallel()
	b := synced(t, impactConfig{})
	change := impactConfig{hrEmail: `replace(attributes.email, "@hr.example", "@corp.example")`,
		appFullName: `upper("${user.given_name} ${user.family_name}")`}
	b.write(t, map[string]string{"main.hcl": change.hcl()})
	b.apply(t)
	got := impactLines(b.impact(t))
	var want []string
	for _, task := range previewTasks {
		run := b.run(t, task, "full")
		mustSucceed(t, run)
		want = append(want, b.changes(t, run.ID)...)
	}
	slices.Sort(want)
	if d := diffLines(want, got); d != "" {
		t.Errorf("impact differs from the full runs:\n%s", d)
	}
}
