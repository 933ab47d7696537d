package planner

import (
	"errors"
	"time"

	"github.com/syncline/syncline/state"
)

// FormatVersion is the version of the plan's JSON format. It changes when a
// field is removed or changes meaning; new fields do not change it. Format
// 2 gives spec and attribute values typed (string, number, bool, array,
// object, null, {"expression": …}, {"sensitive": true}) where format 1 gave
// their canonical renderings as strings.
const FormatVersion = "2"

// Plan is the difference between the desired definitions and a stored
// snapshot, as plain data. Nothing in it is a secret: sensitive values
// appear only as fingerprints in Before/After specs and as "(sensitive
// value)" in attribute changes.
type Plan struct {
	FormatVersion string `json:"format_version"`
	// Lineage and Serial are those of the snapshot the plan was computed
	// against; apply refuses the plan when the store has moved on.
	Lineage   string    `json:"lineage"`
	Serial    int64     `json:"serial"`
	CreatedAt time.Time `json:"created_at"`
	Revision  string    `json:"revision"`
	// Changes are sorted by kind (resource, schedule, task), then name.
	Changes []Change `json:"changes"`
	// Errors say why the plan must not be applied (removing a resource that
	// still has shadows without AllowDestroy). A plan with errors still
	// shows every change.
	Errors []string `json:"errors"`
	// Drift lists where the running system differs from the configuration
	// in ways an apply does not change, such as a suspended task.
	Drift   []Drift `json:"drift,omitempty"`
	Summary Summary `json:"summary"`
	// Desired and Prior map every address to its spec hash, in the
	// configuration and in the snapshot, so that apply can check a saved
	// plan still matches the configuration.
	Desired map[string]string `json:"desired"`
	Prior   map[string]string `json:"prior"`
	// Fingerprints says what keyed the fingerprints of sensitive values in
	// the specs: FingerprintsState or FingerprintsInvocation.
	Fingerprints string `json:"fingerprints"`
	// Impact is what the configuration would do to the users and
	// resource objects in the state's repository (nil: not evaluated,
	// as with -impact=false or without a state); see impact.go.
	Impact *Impact `json:"impact,omitempty"`
}

// Values of Plan.Fingerprints.
const (
	// FingerprintsState: keyed by the state's secret key; comparable with
	// the state's definitions and other plans against the same state.
	FingerprintsState = "state"
	// FingerprintsInvocation: keyed by a key made for this invocation only
	// (syncline diff, a plan without a state); comparable within the plan
	// and with nothing else.
	FingerprintsInvocation = "invocation"
)

// Summary counts the changes as Terraform does: a replacement is one add and
// one remove; a move that also changes the spec counts as a move and a
// change.
type Summary struct {
	Add    int `json:"add"`
	Change int `json:"change"`
	Remove int `json:"remove"`
	Move   int `json:"move"`
}

// Change is what happens to one address.
type Change struct {
	Address string `json:"address"`
	// PreviousAddress is set when a moved block renames the definition.
	PreviousAddress string `json:"previous_address,omitempty"`
	Action          Action `json:"action"`
	Kind            string `json:"kind"`
	Name            string `json:"name"`
	// Before is the stored definition (nil for Create); After the desired
	// one (nil for Delete).
	Before *state.Definition `json:"-"`
	After  *state.Definition `json:"-"`
	// Attributes are the changed attributes, sorted by path; for Create and
	// Delete, every attribute.
	Attributes []AttributeChange `json:"attributes"`
	// NextRuns is set when the change moves fire times: a schedule whose
	// timing changes, a task whose own timing changes.
	NextRuns *NextRuns `json:"next_runs,omitempty"`
	// Notes are consequences a reviewer must see.
	Notes []string `json:"notes,omitempty"`
	// Source is "file:line" of the definition (the stored one for a delete).
	Source string `json:"source"`
}

// AttributeChange is one changed attribute. Before and After are canonical
// renderings ("" where absent), with sensitive values shown as "(sensitive
// value)"; the plan's JSON gives them typed (Change.MarshalJSON).
type AttributeChange struct {
	Path      string `json:"path"`
	Action    Action `json:"action"`
	Before    string `json:"before"`
	After     string `json:"after"`
	Sensitive bool   `json:"sensitive,omitempty"`
	// ForcesReplace marks an identity-defining attribute whose change
	// replaces the definition.
	ForcesReplace bool `json:"forces_replace,omitempty"`
}

// NextRuns are the next fire times before and after the change, counted from
// the plan's time, in Timezone (the schedule's IANA zone, "UTC" for every
// schedules). An empty list means no scheduled runs.
type NextRuns struct {
	Before   []time.Time `json:"before"`
	After    []time.Time `json:"after"`
	Timezone string      `json:"timezone"`
}

// HasChanges reports whether applying the plan would change the store.
func (p *Plan) HasChanges() bool { return len(p.Changes) > 0 }

// Err returns the plan's errors as one error, or nil when it may be applied.
func (p *Plan) Err() error {
	errs := make([]error, len(p.Errors))
	for i, e := range p.Errors {
		errs[i] = errors.New(e)
	}
	return errors.Join(errs...)
}
