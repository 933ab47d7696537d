package planner

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/syncline/syncline/state"
)

// genConfig is a generated configuration: HCL files and the -var arguments
// that set its sensitive variables, with the secrets they hold.
type genConfig struct {
	files   map[string]string
	vars    []string
	secrets []string
	tasks   int // t0 … t(tasks-1)
}

// Choices the generator draws from. Names overlap between two draws, so a
// pair of configurations shares some definitions and differs in others.
var (
	genCrons     = []string{"0 2 * * *", "30 2 * * *", "*/15 8-18 * * MON-FRI", "0 0 1 * *", "@daily", "0 3 * * SUN"}
	genEvery     = []string{"15m", "1h", "6h", "1d", "90s"}
	genZones     = []string{"UTC", "Europe/Prague", "America/New_York", "Asia/Tokyo"}
	genModes     = []string{"full", "preview", "dry_run"}
	genOutcomes  = []string{"failed", "partial", "succeeded"}
	genMisfire   = []string{"skip", "run_once", "run_all"}
	genSecretSet = rapid.StringMatching(`[a-z0-9]{12}`)
)

func drawConfig(t *rapid.T, label string) genConfig {
	g := genConfig{files: map[string]string{}}
	secret := "S3CR3T-" + genSecretSet.Draw(t, label+"-secret")
	g.secrets = append(g.secrets, secret)
	g.vars = append(g.vars, "token="+secret)
	var b strings.Builder
	b.WriteString("variable \"token\" {\n  type      = string\n  sensitive = true\n}\n\n")
	schedules := rapid.IntRange(0, 3).Draw(t, label+"-schedules")
	for i := range schedules {
		writeSchedule(t, &b, fmt.Sprintf("%s-s%d", label, i), fmt.Sprintf("schedule \"s%d\"", i))
	}
	resources := rapid.IntRange(0, 2).Draw(t, label+"-resources")
	for i := range resources {
		writeResource(t, &b, fmt.Sprintf("%s-r%d", label, i), i)
	}
	tasks := rapid.IntRange(1, 5).Draw(t, label+"-tasks")
	g.tasks = tasks
	for i := range tasks {
		writeTask(t, &b, fmt.Sprintf("%s-t%d", label, i), i, schedules, resources)
	}
	g.files["main.hcl"] = b.String()
	return g
}

func writeSchedule(t *rapid.T, b *strings.Builder, label, header string) {
	fmt.Fprintf(b, "%s {\n", header)
	if rapid.Bool().Draw(t, label+"-cron") {
		fmt.Fprintf(b, "  cron     = %q\n", rapid.SampledFrom(genCrons).Draw(t, label+"-expr"))
		fmt.Fprintf(b, "  timezone = %q\n", rapid.SampledFrom(genZones).Draw(t, label+"-tz"))
	} else {
		fmt.Fprintf(b, "  every = %q\n", rapid.SampledFrom(genEvery).Draw(t, label+"-every"))
	}
	fmt.Fprintf(b, "  misfire = %q\n}\n\n", rapid.SampledFrom(genMisfire).Draw(t, label+"-misfire"))
}

func writeResource(t *rapid.T, b *strings.Builder, label string, i int) {
	fmt.Fprintf(b, "resource \"r%d\" {\n", i)
	if rapid.Bool().Draw(t, label+"-sql") {
		b.WriteString("  connector = \"sql\"\n  connection {\n    driver = \"postgres\"\n    dsn    = var.token\n    table  = \"accounts\"\n    key    = \"login\"\n  }\n")
	} else {
		fmt.Fprintf(b, "  connector = \"csv\"\n  connection {\n    path       = \"data/r%d.csv\"\n    identifier = %q\n  }\n",
			i, rapid.SampledFrom([]string{"id", "login"}).Draw(t, label+"-id"))
	}
	fmt.Fprintf(b, "  object_type \"account\" {\n    correlate {\n      name = %s\n    }\n  }\n}\n\n",
		rapid.SampledFrom([]string{"attributes.login", "lower(attributes.login)", `"${attributes.id}-x"`}).Draw(t, label+"-corr"))
}

func writeTask(t *rapid.T, b *strings.Builder, label string, i, schedules, resources int) {
	fmt.Fprintf(b, "task \"t%d\" {\n", i)
	fmt.Fprintf(b, "  mode     = %q\n", rapid.SampledFrom(genModes).Draw(t, label+"-mode"))
	fmt.Fprintf(b, "  priority = %d\n", rapid.IntRange(1, 100).Draw(t, label+"-prio"))
	switch rapid.IntRange(0, 2).Draw(t, label+"-when") {
	case 1:
		if schedules > 0 {
			fmt.Fprintf(b, "  schedule = schedule.s%d\n", rapid.IntRange(0, schedules-1).Draw(t, label+"-sref"))
		}
	case 2:
		writeSchedule(t, b, label+"-inline", "  schedule")
	}
	if i > 0 && rapid.Bool().Draw(t, label+"-after") {
		fmt.Fprintf(b, "  after = [task.t%d]\n", rapid.IntRange(0, i-1).Draw(t, label+"-aref"))
	}
	if rapid.Bool().Draw(t, label+"-notify") {
		fmt.Fprintf(b, "  notify {\n    on      = [%q]\n    webhook = var.token\n  }\n", rapid.SampledFrom(genOutcomes).Draw(t, label+"-on"))
	}
	activities := rapid.IntRange(1, 3).Draw(t, label+"-activities")
	for j := range activities {
		writeActivity(t, b, fmt.Sprintf("%s-a%d", label, j), j, resources)
	}
	b.WriteString("}\n\n")
}

func writeActivity(t *rapid.T, b *strings.Builder, label string, j, resources int) {
	kind := rapid.IntRange(0, 2).Draw(t, label+"-type")
	if kind == 2 && resources == 0 {
		kind = 0
	}
	switch kind {
	case 0:
		fmt.Fprintf(b, "  activity \"propagation\" {\n    name = \"p%d\"\n  }\n", j)
	case 1:
		fmt.Fprintf(b, "  activity \"exec\" {\n    name    = \"e%d\"\n    command = \"sync.sh\"\n    env = {\n      TOKEN = var.token\n    }\n  }\n", j)
	case 2:
		fmt.Fprintf(b, "  activity \"reconciliation\" {\n    name     = \"r%d\"\n    resource = resource.r%d\n    thresholds {\n      max_deletions = %d\n    }\n  }\n",
			j, rapid.IntRange(0, resources-1).Draw(t, label+"-res"), rapid.IntRange(0, 50).Draw(t, label+"-max"))
	}
}

// TestPropertyApplyConverges: from any stored configuration A, planning any
// configuration B, applying the request and planning again leaves nothing
// to do; no view of either plan ever shows a secret; and each plan reads
// back from its JSON unchanged.
func TestPropertyApplyConverges(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a, b := drawConfig(t, "a"), drawConfig(t, "b")
		if a.tasks > b.tasks && rapid.Bool().Draw(t, "rename") {
			// A task of a that b no longer declares moves to a new name.
			b.files["moved.hcl"] = fmt.Sprintf("task \"renamed\" {\n  activity \"propagation\" {}\n}\n\nmoved {\n  from = task.t%d\n  to   = task.renamed\n}\n", a.tasks-1)
		}
		snap := &state.Snapshot{}
		for _, g := range []genConfig{a, b} {
			cfg := loadConfig(t, g.files, g.vars...)
			desired, err := Desired(cfg, "", testKey)
			if err != nil {
				t.Fatal(err)
			}
			p := mustCompute(t, desired, snap, Options{Moves: MovesFromConfig(cfg)})
			checkSummary(t, p)
			checkNoSecrets(t, p, append(a.secrets, b.secrets...))
			checkJSONRoundTrip(t, p)
			snap = applyRequest(t, snap, p.ApplyRequest(desired, "tester"))
			again := mustCompute(t, desired, snap, Options{Moves: MovesFromConfig(cfg)})
			if again.HasChanges() {
				t.Fatalf("after applying, the plan still has %d changes, first %s %s\n%s",
					len(again.Changes), again.Changes[0].Action, again.Changes[0].Address, g.files["main.hcl"])
			}
			if err := p.Verify(desired); err != nil {
				t.Fatalf("a fresh plan is stale: %v", err)
			}
		}
	})
}

// checkSummary: the summary counts what the change list holds.
func checkSummary(t *rapid.T, p *Plan) {
	var want Summary
	for _, c := range p.Changes {
		switch c.Action {
		case Create:
			want.Add++
		case Update:
			want.Change++
		case Delete:
			want.Remove++
		case Replace:
			want.Add++
			want.Remove++
		}
		if c.PreviousAddress != "" {
			want.Move++
		}
	}
	if p.Summary != want {
		t.Fatalf("summary %+v, changes say %+v", p.Summary, want)
	}
}

// checkNoSecrets: neither the JSON encoding nor the apply request holds a
// secret. The text and Markdown views (internal/views) show only fields the
// JSON encoding carries, so they cannot show one either; their golden tests
// check the same.
func checkNoSecrets(t *rapid.T, p *Plan, secrets []string) {
	var buf bytes.Buffer
	if err := RenderJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	req := p.ApplyRequest(nil, "tester")
	for _, s := range secrets {
		if strings.Contains(buf.String(), s) {
			t.Fatal("the JSON encoding shows a secret")
		}
		if strings.Contains(string(req.Changes), s) {
			t.Fatal("the apply request's change list holds a secret")
		}
		for _, d := range req.Upserts {
			for path, v := range d.Spec {
				if strings.Contains(v, s) {
					t.Fatalf("%s %s stores a secret", d.Address(), path)
				}
			}
		}
	}
}
