package config

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
)

var taskSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "owner"},
		{Name: "priority"},
		{Name: "schedule"},
		{Name: "after"},
		{Name: "enabled"},
		{Name: "mode"},
		{Name: "concurrency"},
		{Name: "timeout"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "schedule"},
		{Type: "retry"},
		{Type: "notify"},
		{Type: "activity", LabelNames: []string{"type"}},
	},
}

// Task defaults and limits.
const (
	DefaultPriority = 50
	minPriority     = 1
	maxPriority     = 100
)

// Modes lists the run modes; Concurrencies the concurrency policies.
var (
	Modes         = []string{string(ModeFull), string(ModePreview), string(ModeDryRun)}
	Concurrencies = []string{ConcurrencyForbid, ConcurrencyReplace, ConcurrencyAllow}
	// RunOutcomes are the final run states a notify block can listen for.
	RunOutcomes = []string{"succeeded", "partial", "failed", "cancelled", "interrupted"}
)

func (c *Config) decodeTasks(d *decoder, blocks []*hcl.Block) hcl.Diagnostics {
	return decodeNamed(blocks, c.Tasks, KindTask, func(t *Task) hcl.Range { return t.DeclRange },
		func(b *hcl.Block) (*Task, hcl.Diagnostics) { return c.decodeTask(d, b) })
}

func (c *Config) decodeTask(d *decoder, b *hcl.Block) (*Task, hcl.Diagnostics) {
	t := &Task{
		Name: b.Labels[0], Priority: DefaultPriority, Enabled: true, Mode: ModeFull,
		Concurrency: ConcurrencyForbid, DeclRange: b.DefRange,
	}
	content, diags := bodyContent(b.Body, taskSchema)
	diags = append(diags, t.decodeAttributes(d, content.Attributes)...)
	diags = append(diags, c.decodeTaskBlocks(d, t, content.Blocks)...)
	if len(t.Activities) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Task without activities",
			Detail:   fmt.Sprintf("The task %q has nothing to do. Add at least one activity block, such as activity \"import\" { resource = resource.NAME }.", t.Name),
			Subject:  t.DeclRange.Ptr(),
		})
	}
	return t, diags
}

func (t *Task) decodeAttributes(d *decoder, attrs hcl.Attributes) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if a, ok := attrs["description"]; ok {
		diags = append(diags, d.str(a, &t.Description)...)
	}
	if a, ok := attrs["owner"]; ok {
		diags = append(diags, d.str(a, &t.Owner)...)
	}
	if a, ok := attrs["priority"]; ok {
		diags = append(diags, d.integer(a, minPriority, maxPriority, &t.Priority)...)
	}
	if a, ok := attrs["enabled"]; ok {
		diags = append(diags, d.boolean(a, &t.Enabled)...)
	}
	if a, ok := attrs["mode"]; ok {
		mode := string(t.Mode)
		diags = append(diags, d.enum(a, Modes, &mode)...)
		t.Mode = Mode(mode)
	}
	if a, ok := attrs["concurrency"]; ok {
		diags = append(diags, d.enum(a, Concurrencies, &t.Concurrency)...)
	}
	if a, ok := attrs["timeout"]; ok {
		diags = append(diags, d.duration(a, &t.Timeout)...)
	}
	if a, ok := attrs["schedule"]; ok {
		ref, refDiags := decodeReference(a.Expr, KindSchedule)
		diags = append(diags, refDiags...)
		t.ScheduleRef = ref
	}
	if a, ok := attrs["after"]; ok {
		refs, refDiags := decodeReferenceList(a.Expr, KindTask)
		diags = append(diags, refDiags...)
		t.After = refs
	}
	return diags
}

func (c *Config) decodeTaskBlocks(d *decoder, t *Task, blocks hcl.Blocks) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]hcl.Range{}
	for _, b := range blocks {
		if prev, dup := seen[b.Type]; dup && (b.Type == "schedule" || b.Type == "retry") {
			diags = append(diags, duplicate("Duplicate "+b.Type+" block", "The "+b.Type+" block", prev, b.DefRange))
			continue
		}
		seen[b.Type] = b.DefRange
		switch b.Type {
		case "schedule":
			s, sDiags := decodeSchedule(d, b.Body, b.DefRange)
			diags = append(diags, sDiags...)
			t.Schedule = s
		case "retry":
			r, rDiags := decodeRetry(d, b)
			diags = append(diags, rDiags...)
			t.Retry = r
		case "notify":
			n, nDiags := decodeNotify(d, b)
			diags = append(diags, nDiags...)
			t.Notify = append(t.Notify, n)
		case "activity":
			diags = append(diags, c.addActivity(d, t, b)...)
		}
	}
	if t.ScheduleRef != nil && t.Schedule != nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting schedules",
			Detail:   "A task names a schedule (schedule = schedule.NAME) or writes one inline (a schedule block), not both.",
			Subject:  t.ScheduleRef.Range.Ptr(),
		})
	}
	return diags
}

func (c *Config) addActivity(d *decoder, t *Task, b *hcl.Block) hcl.Diagnostics {
	a, diags := c.decodeActivity(d, b)
	if a == nil {
		return diags
	}
	for _, prev := range t.Activities {
		if prev.Name == a.Name {
			return append(diags, duplicate("Duplicate activity name",
				fmt.Sprintf("An activity named %q in task %q (give each activity of the same type its own name = \"...\")", a.Name, t.Name),
				prev.DeclRange, a.DeclRange))
		}
	}
	t.Activities = append(t.Activities, a)
	return diags
}

var retrySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "attempts", Required: true}, {Name: "backoff"}, {Name: "max_backoff"}},
}

// Retry defaults.
const (
	DefaultBackoff    = time.Minute
	DefaultMaxBackoff = time.Hour
)

func decodeRetry(d *decoder, b *hcl.Block) (*Retry, hcl.Diagnostics) {
	r := &Retry{Backoff: DefaultBackoff, MaxBackoff: DefaultMaxBackoff, DeclRange: b.DefRange}
	content, diags := bodyContent(b.Body, retrySchema)
	if a, ok := content.Attributes["attempts"]; ok {
		diags = append(diags, d.integer(a, 1, 100, &r.Attempts)...)
	}
	if a, ok := content.Attributes["backoff"]; ok {
		diags = append(diags, d.duration(a, &r.Backoff)...)
	}
	if a, ok := content.Attributes["max_backoff"]; ok {
		diags = append(diags, d.duration(a, &r.MaxBackoff)...)
	}
	if r.MaxBackoff < r.Backoff && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Backoff longer than max_backoff",
			Detail:   fmt.Sprintf("backoff (%s) must not exceed max_backoff (%s).", r.Backoff, r.MaxBackoff),
			Subject:  b.DefRange.Ptr(),
		})
	}
	return r, diags
}
