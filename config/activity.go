package config

import (
	"fmt"
	"net/url"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Activity types.
const (
	ActivityImport         = "import"
	ActivityReconciliation = "reconciliation"
	ActivityLiveSync       = "live_sync"
	ActivityAsyncUpdate    = "async_update"
	ActivityPropagation    = "propagation"
	ActivityRecompute      = "recompute"
	ActivityReport         = "report"
	ActivityExec           = "exec"
)

// Activity defaults.
const (
	DefaultKind      = "account"
	DefaultBatchSize = 100
	DefaultPrefetch  = 10
)

func attrs(names ...string) []hcl.AttributeSchema {
	out := make([]hcl.AttributeSchema, len(names))
	for i, n := range names {
		out[i] = hcl.AttributeSchema{Name: n}
	}
	return out
}

func required(names ...string) []hcl.AttributeSchema {
	out := attrs(names...)
	for i := range out {
		out[i].Required = true
	}
	return out
}

func join(lists ...[]hcl.AttributeSchema) []hcl.AttributeSchema {
	var out []hcl.AttributeSchema
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

var policyBlocks = []hcl.BlockHeaderSchema{{Type: "thresholds"}, {Type: "errors"}}

// ActivitySchemas holds each activity type's schema: an attribute that is
// not in its type's schema is an error at validate time.
var ActivitySchemas = map[string]*hcl.BodySchema{
	ActivityImport: {
		Attributes: join(required("resource"), attrs("name", "kind", "intent", "filter", "max_items", "threads", "buckets")),
		Blocks:     policyBlocks,
	},
	ActivityReconciliation: {
		Attributes: join(required("resource"), attrs("name", "kind", "intent", "filter", "threads", "skip", "buckets")),
		Blocks:     policyBlocks,
	},
	ActivityLiveSync: {
		Attributes: join(required("resource"), attrs("name", "kind", "intent", "batch_size", "threads", "start")),
		Blocks:     policyBlocks,
	},
	ActivityAsyncUpdate: {
		Attributes: join(required("resource", "url", "queue"),
			attrs("name", "kind", "intent", "threads", "prefetch", "max_messages", "idle_timeout", "message_format", "dead_letter_queue", "max_message_size")),
		Blocks: policyBlocks,
	},
	ActivityPropagation: {
		Attributes: attrs("name", "resource"),
		Blocks:     []hcl.BlockHeaderSchema{{Type: "errors"}},
	},
	ActivityRecompute: {
		Attributes: attrs("name", "filter", "threads"),
		Blocks:     policyBlocks,
	},
	ActivityReport: {
		Attributes: join(required("source", "output"), attrs("name", "resource", "kind", "intent", "filter", "columns", "format", "since")),
	},
	ActivityExec: {
		Attributes: join(required("command"), attrs("name", "args", "env", "working_dir", "timeout")),
	},
}

// ActivityTypes returns the activity type names sorted.
func ActivityTypes() []string { return SortedNames(ActivitySchemas) }

func (c *Config) decodeActivity(d *decoder, b *hcl.Block) (*Activity, hcl.Diagnostics) {
	typ := b.Labels[0]
	schema, ok := ActivitySchemas[typ]
	if !ok {
		detail := fmt.Sprintf("There is no activity type %q. The activity types are %s.", typ, quoteList(ActivityTypes()))
		if s := suggest(typ, ActivityTypes()); s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		}
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown activity type", Detail: detail, Subject: b.LabelRanges[0].Ptr()}}
	}
	a := &Activity{Type: typ, Name: typ, Kind: DefaultKind, Intent: DefaultIntent, Threads: 1, DeclRange: b.DefRange}
	content, diags := bodyContent(b.Body, schema)
	diags = append(diags, c.decodeActivityAttributes(d, a, content.Attributes)...)
	for _, blk := range content.Blocks {
		diags = append(diags, decodePolicyBlock(d, a, blk)...)
	}
	if at, ok := content.Attributes["filter"]; ok && typ != ActivityReport {
		a.Filter = at.Expr
		diags = append(diags, c.checkConditionIn(d, at.Expr, a.filterPlace())...)
	}
	if typ == ActivityLiveSync && a.BatchSize == 0 {
		a.BatchSize = DefaultBatchSize
	}
	diags = append(diags, a.checkBuckets(content.Attributes)...)
	switch typ {
	case ActivityExec:
		diags = append(diags, a.decodeExec(d, content.Attributes)...)
	case ActivityReport:
		diags = append(diags, c.decodeReport(d, a, content.Attributes)...)
	case ActivityAsyncUpdate:
		diags = append(diags, a.decodeAsyncUpdate(d, content.Attributes)...)
		if a.Errors != nil && a.Errors.Action == ErrorsContinue && a.AsyncUpdate.DeadLetterQueue == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "No dead-letter queue",
				Detail:   "An async_update that continues past a failing message sets it aside in dead_letter_queue, so that nothing is lost: name one (an existing queue), or leave the errors block out to stop at the first failing message.",
				Subject:  a.Errors.DeclRange.Ptr(),
			})
		}
	}
	return a, diags
}

// decodeActivityAttributes decodes the attributes several types share; each
// type's schema decides which of them may appear.
func (c *Config) decodeActivityAttributes(d *decoder, a *Activity, attrs hcl.Attributes) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if at, ok := attrs["name"]; ok {
		diags = append(diags, d.name(at, &a.Name)...)
	}
	if at, ok := attrs["resource"]; ok {
		ref, refDiags := decodeReference(at.Expr, KindResource)
		diags = append(diags, refDiags...)
		a.Resource = ref
	}
	if at, ok := attrs["kind"]; ok {
		diags = append(diags, d.str(at, &a.Kind)...)
	}
	if at, ok := attrs["intent"]; ok {
		diags = append(diags, d.str(at, &a.Intent)...)
	}
	if at, ok := attrs["threads"]; ok {
		diags = append(diags, d.integer(at, 1, 64, &a.Threads)...)
	}
	if at, ok := attrs["buckets"]; ok {
		diags = append(diags, d.integer(at, 1, MaxBuckets, &a.Buckets)...)
	}
	if at, ok := attrs["max_items"]; ok {
		diags = append(diags, d.integer(at, 1, 1<<31-1, &a.MaxItems)...)
	}
	if at, ok := attrs["batch_size"]; ok {
		diags = append(diags, d.integer(at, 1, 100_000, &a.BatchSize)...)
	}
	if at, ok := attrs["skip"]; ok {
		diags = append(diags, a.decodeSkip(d, at)...)
	}
	if at, ok := attrs["start"]; ok {
		diags = append(diags, d.enum(at, []string{LiveSyncStartNow, LiveSyncStartFull}, &a.Start)...)
	}
	return diags
}

// Where a live_sync activity starts when it has no token yet.
const (
	LiveSyncStartNow  = "now"  // from the moment of the first run: earlier changes are a reconciliation's
	LiveSyncStartFull = "full" // a full pass over every object first, then the changes since it began
)

func (a *Activity) decodeSkip(d *decoder, at *hcl.Attribute) hcl.Diagnostics {
	diags := d.strings(at, &a.Skip)
	for _, s := range a.Skip {
		if !contains(ReconciliationStages, s) {
			diags = append(diags, invalidChoice("skip", s, ReconciliationStages, at.Expr.Range()))
		}
	}
	if len(a.Skip) > 0 && !diags.HasErrors() && len(a.Stages()) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Every stage skipped",
			Detail:   "skip leaves no reconciliation stage to run; remove the activity instead.",
			Subject:  at.Expr.Range().Ptr(),
		})
	}
	return diags
}

// Stages returns the reconciliation stages the activity runs, in order.
func (a *Activity) Stages() []string {
	var out []string
	for _, s := range ReconciliationStages {
		if !contains(a.Skip, s) {
			out = append(out, s)
		}
	}
	return out
}

// filterPlace says what a filter may reference for this activity.
func (a *Activity) filterPlace() exprPlace {
	if a.Type == ActivityRecompute || a.Type == ActivityReport && a.Report != nil && a.Report.Source == "users" {
		return placeUserFilter
	}
	return placeObjectFilter
}

func (a *Activity) decodeExec(d *decoder, attrs hcl.Attributes) hcl.Diagnostics {
	e := &ExecSettings{Env: map[string]cty.Value{}}
	a.Exec = e
	var diags hcl.Diagnostics
	if at, ok := attrs["command"]; ok {
		diags = append(diags, d.str(at, &e.Command)...)
	}
	if at, ok := attrs["args"]; ok {
		diags = append(diags, d.strings(at, &e.Args)...)
	}
	if at, ok := attrs["working_dir"]; ok {
		diags = append(diags, d.str(at, &e.WorkingDir)...)
	}
	if at, ok := attrs["timeout"]; ok {
		diags = append(diags, d.duration(at, &e.Timeout)...)
	}
	if at, ok := attrs["env"]; ok {
		diags = append(diags, d.execEnv(at, e.Env)...)
	}
	return diags
}

// execEnv decodes an exec activity's env into dst. The values may be
// sensitive; the names may not, because plans show them (in paths such as
// env["NAME"]). A map marked as a whole has a name that is, or is derived
// from, a sensitive value, such as { (env("KEY")) = "v" } or a sensitive
// map variable.
func (d *decoder) execEnv(at *hcl.Attribute, dst map[string]cty.Value) hcl.Diagnostics {
	v, diags := d.value(at, cty.Map(cty.String))
	if diags.HasErrors() {
		return diags
	}
	if v.IsMarked() || keysReadSensitive(at.Expr, d.ctx) {
		return hcl.Diagnostics{sensitiveNotAllowed(at,
			"The names in \"env\" are shown in plans (only the values may be sensitive; write env = { NAME = var.secret })")}
	}
	if !v.IsWhollyKnown() {
		return nil
	}
	for k, val := range v.AsValueMap() {
		dst[k] = val
	}
	return nil
}

func (a *Activity) decodeAsyncUpdate(d *decoder, attrs hcl.Attributes) hcl.Diagnostics {
	u := &AsyncUpdateSettings{Prefetch: DefaultPrefetch}
	a.AsyncUpdate = u
	var diags hcl.Diagnostics
	if at, ok := attrs["url"]; ok {
		v, vDiags := d.value(at, cty.String)
		diags = append(diags, vDiags...)
		if !vDiags.HasErrors() {
			u.URL = v.Mark(Sensitive) // an AMQP URL usually carries a password
			diags = append(diags, checkAMQPURL(v, at)...)
		}
	}
	if at, ok := attrs["queue"]; ok {
		diags = append(diags, d.str(at, &u.Queue)...)
	}
	if at, ok := attrs["prefetch"]; ok {
		diags = append(diags, d.integer(at, 1, 10_000, &u.Prefetch)...)
	}
	if at, ok := attrs["max_messages"]; ok {
		diags = append(diags, d.integer(at, 1, 1<<31-1, &u.MaxMessages)...)
	}
	if at, ok := attrs["idle_timeout"]; ok {
		diags = append(diags, d.duration(at, &u.IdleTimeout)...)
	}
	if at, ok := attrs["message_format"]; ok {
		diags = append(diags, d.enum(at, []string{MessageFormatChange, MessageFormatNotification}, &u.MessageFormat)...)
	}
	if at, ok := attrs["dead_letter_queue"]; ok {
		diags = append(diags, d.str(at, &u.DeadLetterQueue)...)
	}
	if at, ok := attrs["max_message_size"]; ok {
		diags = append(diags, d.integer(at, 1, 64<<20, &u.MaxMessageSize)...)
	}
	return diags
}

// The forms of an async_update's messages.
const (
	MessageFormatChange       = "change"       // a change description: operation, identifier, attributes
	MessageFormatNotification = "notification" // an identifier: the object is read from the resource
)

// checkAMQPURL checks a known URL's scheme without quoting it: the URL may
// carry a password.
func checkAMQPURL(v cty.Value, at *hcl.Attribute) hcl.Diagnostics {
	plain, _ := v.Unmark()
	if !plain.IsKnown() {
		return nil
	}
	if u, err := url.Parse(plain.AsString()); err == nil && (u.Scheme == "amqp" || u.Scheme == "amqps") && u.Host != "" {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid AMQP URL",
		Detail:   "url must be an amqp:// or amqps:// URL, as in amqp://USER:PASSWORD@HOST:5672/VHOST.",
		Subject:  at.Expr.Range().Ptr(),
	}}
}
