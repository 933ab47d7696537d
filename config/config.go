package config

import (
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Config is one decoded configuration directory: every definition a team
// wrote, keyed by name. A Config returned together with error diagnostics is
// partial and must not be acted upon.
type Config struct {
	// Dir is the directory the configuration was loaded from, as the user
	// named it; file names in diagnostics are relative to the same base.
	Dir string

	// Files holds every parsed source (configuration and variable files) by
	// the name used in diagnostics, so views can print source snippets. Once
	// loading ends only their Bytes are kept, not their syntax trees.
	Files map[string]*hcl.File

	Settings  *Settings
	Variables map[string]*Variable
	Locals    map[string]*Local
	Schedules map[string]*Schedule
	Resources map[string]*Resource
	Tasks     map[string]*Task
	Moved     []*Moved

	// Functions is the function table that mapping, correlation, condition
	// and filter expressions may call.
	Functions FunctionTable
}

func newConfig(dir string) *Config {
	return &Config{
		Dir:       dir,
		Files:     map[string]*hcl.File{},
		Settings:  defaultSettings(),
		Variables: map[string]*Variable{},
		Locals:    map[string]*Local{},
		Schedules: map[string]*Schedule{},
		Resources: map[string]*Resource{},
		Tasks:     map[string]*Task{},
	}
}

// Settings is the syncline block: where state lives and how a server follows
// the git repository.
type Settings struct {
	// State is the state store location: a path or sqlite:// URL (the
	// default, relative to the configuration directory), or a postgres:// URL.
	State string
	Sync  *SyncSettings
	// SMTP is the mail server of e-mail notifications; PublicURL is
	// where people reach this Syncline's console, for links to runs.
	SMTP      *SMTPSettings
	PublicURL string
	// Console is who may use serve's console and HTTP API; nil: nobody.
	Console   *ConsoleSettings
	DeclRange hcl.Range
}

// DefaultState is the state location used when the syncline block names none.
const DefaultState = "sqlite://.syncline/state.db"

func defaultSettings() *Settings {
	return &Settings{State: DefaultState}
}

// SyncSettings is the syncline.sync block: the git repository a server
// follows and whether a pushed change is applied or only planned.
type SyncSettings struct {
	Repository    string
	Branch        string
	Path          string
	Policy        string // "auto_apply" or "plan_only"
	PollInterval  time.Duration
	WebhookSecret cty.Value // string, usually marked sensitive
	// How the repository is fetched (see docs/language.md): Username with
	// Password (basic authentication) or Token (bearer) over http(s), both
	// secrets marked sensitive; SSHKeyFile checked against KnownHostsFile
	// over ssh; CAFile adds certificate authorities for https. File names
	// are as written: the command resolves relative ones.
	Username              string
	Password              cty.Value
	Token                 cty.Value
	SSHKeyFile            string
	KnownHostsFile        string
	InsecureIgnoreHostKey bool
	CAFile                string
	DeclRange             hcl.Range
}

// Sync policies.
const (
	SyncAutoApply = "auto_apply"
	SyncPlanOnly  = "plan_only"
)

// Variable is an input variable declared with a variable block; Value is the
// value chosen from -var, -var-file, SYNCLINE_VAR_name or the default, marked
// sensitive when the declaration says so.
type Variable struct {
	Name        string
	Description string
	Type        cty.Type
	Default     cty.Value // cty.NilVal when the variable is required
	Sensitive   bool
	Value       cty.Value
	DeclRange   hcl.Range
}

// Local is a named value from a locals block.
type Local struct {
	Name      string
	Expr      hcl.Expression
	Value     cty.Value
	DeclRange hcl.Range
}

// Misfire policies say what a schedule does about fire times missed while
// nothing was running.
const (
	MisfireSkip    = "skip"
	MisfireRunOnce = "run_once"
	MisfireRunAll  = "run_all"
)

// Schedule is a reusable timing definition: a five-field cron expression in a
// time zone, or a fixed interval.
type Schedule struct {
	// Name is empty for a schedule written inline in a task.
	Name       string
	Cron       string
	Timezone   string
	Location   *time.Location
	Every      time.Duration
	Misfire    string
	MaxCatchUp int
	DeclRange  hcl.Range
}

// Address returns "schedule.NAME", or "" for an inline schedule.
func (s *Schedule) Address() Address {
	if s.Name == "" {
		return Address{}
	}
	return Address{Kind: KindSchedule, Name: s.Name}
}

// Resource is a connected system reached through a connector.
type Resource struct {
	Name             string
	Connector        string
	Description      string
	Connection       *Connection
	GroupingInterval time.Duration
	PendingRetention time.Duration
	// WriteBatchSize and WriteFlushInterval bound the batches in which
	// provisioning operations are written to the resource (0: the
	// defaults, DefaultWriteBatchSize and DefaultWriteFlushInterval).
	WriteBatchSize     int
	WriteFlushInterval time.Duration
	ObjectTypes        []*ObjectType
	DeclRange          hcl.Range
}

// The defaults and the largest value of a resource's write batches.
const (
	DefaultWriteBatchSize     = 2000
	DefaultWriteFlushInterval = time.Second
	MaxWriteBatchSize         = 100_000
)

// WriteBatch returns the size and flush interval of the resource's write
// batches, the defaults where unset.
func (r *Resource) WriteBatch() (size int, flush time.Duration) {
	size, flush = r.WriteBatchSize, r.WriteFlushInterval
	if size <= 0 {
		size = DefaultWriteBatchSize
	}
	if flush <= 0 {
		flush = DefaultWriteFlushInterval
	}
	return size, flush
}

// Address returns "resource.NAME".
func (r *Resource) Address() Address { return Address{Kind: KindResource, Name: r.Name} }

// ObjectType returns the object type with the given kind and intent.
func (r *Resource) ObjectType(kind, intent string) *ObjectType {
	for _, ot := range r.ObjectTypes {
		if ot.Kind == kind && ot.Intent == intent {
			return ot
		}
	}
	return nil
}

// Connection holds a resource's connector settings, checked against the
// connector's schema. Values may carry the sensitive mark.
type Connection struct {
	Attributes map[string]cty.Value
	Ranges     map[string]hcl.Range
	DeclRange  hcl.Range
}

// String returns a string setting, or "" when it is unset or not yet known.
func (c *Connection) String(name string) string {
	v, ok := c.Attributes[name]
	if !ok || v.IsNull() || !v.IsWhollyKnown() || !v.Type().Equals(cty.String) {
		return ""
	}
	s, _ := v.Unmark()
	return s.AsString()
}

// Deprovision choices: what happens to an account whose provision_when turns
// false.
const (
	DeprovisionDelete  = "delete"
	DeprovisionDisable = "disable"
	DeprovisionKeep    = "keep"
)

// ObjectType is one kind/intent of objects on a resource with its mappings.
type ObjectType struct {
	Kind        string // the block label, e.g. "account"
	Intent      string
	ObjectClass string
	Identifier  string // the connection's identifier, repeated; another one is refused
	// IdentifierRange is where identifier is set.
	IdentifierRange hcl.Range

	// Correlate maps focus attributes to expressions over the resource
	// object; a user matches when every listed attribute is equal.
	Correlate []*Mapping
	// Inbound maps focus attributes to expressions over the resource object.
	Inbound []*Mapping
	// Outbound maps resource attributes to expressions over the user.
	Outbound []*Mapping

	Reactions     map[Situation]Reaction
	ProvisionWhen hcl.Expression // nil: provision for every user
	Deprovision   string
	// Activation says how an object of this type is disabled and enabled on
	// its resource; nil when the object type has no activation block.
	Activation *Activation
	// Group is set on an entitlement object type: where its groups are
	// and how members are recorded. Associations are an account object
	// type's: the groups its owner's account should be in (see
	// entitlement.go).
	Group        *Group
	Associations []*Association
	DeclRange    hcl.Range
}

// Activation is an object type's activation block: the resource attribute
// that holds whether an object is enabled, and its value in each state. It
// is what deprovision = "disable" and the inactivate_resource_object
// reaction write.
type Activation struct {
	Attribute string // the resource attribute holding the state, e.g. "enabled"
	Enabled   string // its value for an enabled object
	Disabled  string // its value for a disabled object
	DeclRange hcl.Range
}

// Mapping is one target attribute and the expression that computes it.
type Mapping struct {
	Target string
	Expr   hcl.Expression
	Range  hcl.Range
}

// Concurrency policies say what happens when a task's run is due while an
// earlier run is still going.
const (
	ConcurrencyForbid  = "forbid"
	ConcurrencyReplace = "replace"
	ConcurrencyAllow   = "allow"
)

// Mode says how much of its work a run really does: a task's mode, or
// the mode a run was started in.
type Mode string

// The modes.
const (
	ModeFull    Mode = "full"    // compute every change and write it
	ModePreview Mode = "preview" // compute every change, write none
	ModeDryRun  Mode = "dry_run" // report situations only
)

// Task is the container that says when and how work runs, holding its
// activities in order.
type Task struct {
	Name        string
	Description string
	Owner       string
	Priority    int
	// ScheduleRef is set when the task names a schedule block;
	// Schedule is the resolved or inline schedule, nil for manual tasks.
	ScheduleRef *Reference
	Schedule    *Schedule
	After       []*Reference
	Enabled     bool
	Mode        Mode
	Concurrency string
	Timeout     time.Duration
	Retry       *Retry
	Notify      []*Notify
	Activities  []*Activity
	DeclRange   hcl.Range
}

// Address returns "task.NAME".
func (t *Task) Address() Address { return Address{Kind: KindTask, Name: t.Name} }

// Retry re-runs a failed run with exponential backoff.
type Retry struct {
	Attempts   int
	Backoff    time.Duration
	MaxBackoff time.Duration
	DeclRange  hcl.Range
}

// Activity is one unit of work inside a task. Fields that do not apply to the
// activity's type are left at their zero values; the type's schema rejects
// them at load time.
type Activity struct {
	Type string // import, reconciliation, live_sync, ...
	Name string // defaults to Type; unique within the task

	Resource *Reference
	Kind     string
	Intent   string
	Filter   hcl.Expression
	MaxItems int
	Threads  int
	// Buckets splits an import or reconciliation into this many hash
	// buckets of the objects' identifiers, which the run's threads and
	// other serve nodes claim; 0 (unset) and 1 mean one pass.
	Buckets int
	// BatchSize bounds how many changes or messages one step takes.
	BatchSize int
	// Skip lists reconciliation sub-activities to leave out.
	Skip []string
	// Start is where a live_sync without a token starts:
	// LiveSyncStartNow ("" means it too) or LiveSyncStartFull.
	Start      string
	Thresholds *Thresholds
	Errors     *ErrorPolicy

	Exec        *ExecSettings
	Report      *ReportSettings
	AsyncUpdate *AsyncUpdateSettings

	DeclRange hcl.Range
}

// Reconciliation sub-activities, in the order they run.
var ReconciliationStages = []string{"operation_completion", "resource_objects", "remaining_shadows"}

// Thresholds stop an activity before the operation that would exceed them.
// Zero means no limit.
type Thresholds struct {
	MaxDeletions int
	MaxDisables  int
	MaxCreations int
	// MaxMembershipRemovals bounds the memberships removed from groups.
	MaxMembershipRemovals int
	DeclRange             hcl.Range
}

// ErrorPolicy says what an activity does about item errors.
type ErrorPolicy struct {
	Action    string // "continue" or "stop"
	StopAfter int    // with "continue": stop after this many errors; 0 = never
	DeclRange hcl.Range
}

// ExecSettings are the exec activity's command and environment.
type ExecSettings struct {
	Command    string
	Args       []string
	Env        map[string]cty.Value
	WorkingDir string
	Timeout    time.Duration
}

// ReportSettings describe what a report activity writes.
type ReportSettings struct {
	Source  string // "users", "shadows", "situations" or "summary"
	Columns []string
	Format  string // "csv", "json" or "html"
	// Output is the file written, a local path relative to the
	// configuration directory (see checkReportOutput).
	Output string
	// Since is the period a summary covers, ending when it runs.
	Since time.Duration
}

// AsyncUpdateSettings name the AMQP queue an async_update activity consumes.
type AsyncUpdateSettings struct {
	URL         cty.Value
	Queue       string
	Prefetch    int
	MaxMessages int
	IdleTimeout time.Duration
	// MessageFormat is MessageFormatChange ("" too) or
	// MessageFormatNotification; DeadLetterQueue, when set, receives the
	// messages that fail under errors { action = "continue" };
	// MaxMessageSize bounds a message body (0: 1 MiB).
	MessageFormat   string
	DeadLetterQueue string
	MaxMessageSize  int
}

// Moved records a rename so that history follows the definition.
type Moved struct {
	From      *Reference
	To        *Reference
	DeclRange hcl.Range
}

// SortedNames returns the keys of a definition map in order.
func SortedNames[T any](m map[string]T) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
