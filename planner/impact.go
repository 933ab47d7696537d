package planner

// Impact is what a configuration would do to the identities in the stored
// repository: the users and resource objects whose synchronization would
// change, counted by kind per resource and object type, with a few named
// samples, and the task thresholds the work would exceed. It is computed
// at plan time from the users and the shadows' cached attributes, never
// from a resource (see ImpactBuilder and docs/plan-format.md).
type Impact struct {
	// Users and Shadows are how many stored users and shadows the
	// evaluation looked at.
	Users   int `json:"users_evaluated"`
	Shadows int `json:"shadows_evaluated"`
	// Totals sums every count over the repository.
	Totals ImpactCounts `json:"totals"`
	// UserAttributes counts, per user attribute, the users whose value
	// would change (added, modified or enabled/disabled users).
	UserAttributes []AttributeCount `json:"user_attributes"`
	// Types are the resource object types with changes, by resource,
	// kind and intent.
	Types []TypeImpact `json:"types"`
	// Thresholds are the task thresholds the impact would exceed.
	Thresholds []ThresholdExceeded `json:"thresholds_exceeded"`
	// Samples are up to the requested number of identities per kind of
	// change, in the order the evaluation met them.
	Samples []ImpactSample `json:"samples"`
	// Truncated says why the evaluation stopped before looking at
	// everything ("" when it did not): the counts are then lower bounds.
	Truncated string `json:"truncated,omitempty"`
	// Notes are what a reviewer must know to read the numbers, such as a
	// state that is behind the configuration it is compared with.
	Notes []string `json:"notes,omitempty"`
}

// ImpactCounts counts changes by kind. User counts are the repository's;
// the others count resource objects.
type ImpactCounts struct {
	UsersAdded    int `json:"users_added"`
	UsersModified int `json:"users_modified"`
	UsersDisabled int `json:"users_disabled"`
	UsersEnabled  int `json:"users_enabled"`
	UsersDeleted  int `json:"users_deleted"`
	Links         int `json:"links"`
	Unlinks       int `json:"unlinks"`
	Creations     int `json:"creations"`
	Modifications int `json:"modifications"`
	Renames       int `json:"renames"`
	Disables      int `json:"disables"`
	Deletions     int `json:"deletions"`
	// MembershipAdditions and MembershipRemovals count the group
	// memberships accounts would gain and lose; MembershipsTolerated the
	// memberships a tolerant association would keep though it no longer
	// gives them (not a change: Total leaves them out).
	MembershipAdditions  int `json:"membership_additions"`
	MembershipRemovals   int `json:"membership_removals"`
	MembershipsTolerated int `json:"memberships_tolerated"`
	// SituationChanges counts objects whose synchronization situation
	// would change (a correlation change that unlinks or disputes).
	SituationChanges int `json:"situation_changes"`
	// Unmanaged counts shadows of resources or object types the
	// configuration no longer has: nothing would synchronize them.
	Unmanaged int `json:"unmanaged"`
	// Errors counts objects the configuration would fail on (a mapping
	// error, a taken name).
	Errors int `json:"errors"`
}

// Total is the number of changes of every kind but errors and tolerated
// memberships.
func (c ImpactCounts) Total() int {
	return c.UsersAdded + c.UsersModified + c.UsersDisabled + c.UsersEnabled + c.UsersDeleted + c.Links + c.Unlinks +
		c.Creations + c.Modifications + c.Renames + c.Disables + c.Deletions + c.SituationChanges + c.Unmanaged +
		c.MembershipAdditions + c.MembershipRemovals
}

// TypeImpact is the impact on one object type of one resource.
type TypeImpact struct {
	Resource string       `json:"resource"`
	Kind     string       `json:"kind"`
	Intent   string       `json:"intent"`
	Counts   ImpactCounts `json:"counts"`
	// Attributes counts, per attribute, the objects it would change on
	// (created objects not included); for an entitlement object type, per
	// group, the memberships that would be added, removed or tolerated.
	Attributes []AttributeCount `json:"attributes"`
}

// Address is "resource.NAME kind/intent".
func (t *TypeImpact) Address() string {
	return "resource." + t.Resource + " " + t.Kind + "/" + t.Intent
}

// AttributeCount is how many identities an attribute changes on.
type AttributeCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// ThresholdExceeded is a task's activity threshold the impact would
// exceed: the activity would stop before the change that crosses it.
type ThresholdExceeded struct {
	Task     string `json:"task"`
	Activity string `json:"activity"`
	Resource string `json:"resource"`
	Kind     string `json:"kind"`
	Intent   string `json:"intent"`
	// What is "deletions", "disables", "creations" or
	// "membership_removals".
	What  string `json:"what"`
	Limit int    `json:"limit"`
	Count int    `json:"count"`
}

// Kinds of change, as samples and the fail-on-impact language name them.
const (
	ImpactUserAdd      = "users_added"
	ImpactUserModify   = "users_modified"
	ImpactUserDisable  = "users_disabled"
	ImpactUserEnable   = "users_enabled"
	ImpactUserDelete   = "users_deleted"
	ImpactLink         = "links"
	ImpactUnlink       = "unlinks"
	ImpactCreate       = "creations"
	ImpactModify       = "modifications"
	ImpactRename       = "renames"
	ImpactDisable      = "disables"
	ImpactDelete       = "deletions"
	ImpactSituation    = "situation_changes"
	ImpactUnmanaged    = "unmanaged"
	ImpactError        = "errors"
	ImpactMemberAdd    = "membership_additions"
	ImpactMemberRemove = "membership_removals"
	// ImpactMemberTolerate is a membership a tolerant association keeps
	// without giving it; not a change.
	ImpactMemberTolerate = "memberships_tolerated"
	impactKindAllTotal   = "changes"
)

// ImpactKinds lists the kinds in the order views show them.
var ImpactKinds = []string{ImpactDelete, ImpactDisable, ImpactCreate, ImpactModify, ImpactRename,
	ImpactMemberRemove, ImpactMemberAdd, ImpactMemberTolerate,
	ImpactUserDelete, ImpactUserDisable, ImpactUserEnable, ImpactUserAdd, ImpactUserModify,
	ImpactUnlink, ImpactLink, ImpactSituation, ImpactUnmanaged, ImpactError}

// Count returns the count of kind ("changes": every kind but errors).
func (c *ImpactCounts) Count(kind string) (int, bool) {
	if kind == impactKindAllTotal {
		return c.Total(), true
	}
	p := c.field(kind)
	if p == nil {
		return 0, false
	}
	return *p, true
}

func (c *ImpactCounts) field(kind string) *int {
	switch kind {
	case ImpactUserAdd:
		return &c.UsersAdded
	case ImpactUserModify:
		return &c.UsersModified
	case ImpactUserDisable:
		return &c.UsersDisabled
	case ImpactUserEnable:
		return &c.UsersEnabled
	case ImpactUserDelete:
		return &c.UsersDeleted
	case ImpactLink:
		return &c.Links
	case ImpactUnlink:
		return &c.Unlinks
	case ImpactCreate:
		return &c.Creations
	case ImpactModify:
		return &c.Modifications
	case ImpactRename:
		return &c.Renames
	case ImpactDisable:
		return &c.Disables
	case ImpactDelete:
		return &c.Deletions
	case ImpactSituation:
		return &c.SituationChanges
	case ImpactUnmanaged:
		return &c.Unmanaged
	case ImpactError:
		return &c.Errors
	case ImpactMemberAdd:
		return &c.MembershipAdditions
	case ImpactMemberRemove:
		return &c.MembershipRemovals
	case ImpactMemberTolerate:
		return &c.MembershipsTolerated
	}
	return nil
}

// ImpactSample is one identity's change: a user, or a resource object
// with the user it belongs to. A membership's sample names the
// entitlement (ObjectKind "entitlement", Intent its intent), the group
// (Identifier) and the account's member value (attribute "member",
// before: removed, after: added).
type ImpactSample struct {
	Kind          string `json:"kind"`
	User          string `json:"user,omitempty"`
	Resource      string `json:"resource,omitempty"`
	ObjectKind    string `json:"object_kind,omitempty"`
	Intent        string `json:"intent,omitempty"`
	Identifier    string `json:"identifier,omitempty"`
	NewIdentifier string `json:"new_identifier,omitempty"`
	// SituationBefore and SituationAfter are set for a situation change.
	SituationBefore string `json:"situation_before,omitempty"`
	SituationAfter  string `json:"situation_after,omitempty"`
	// Attributes are the values before and after.
	Attributes []ImpactAttribute `json:"attributes,omitempty"`
	// Error is the object's error (kind "errors").
	Error string `json:"error,omitempty"`
}

// ImpactAttribute is one attribute's values before and after; nil: no
// value. A sensitive attribute's values are never kept: both sides read
// RedactedValue.
type ImpactAttribute struct {
	Name      string   `json:"name"`
	Before    []string `json:"-"`
	After     []string `json:"-"`
	Sensitive bool     `json:"sensitive,omitempty"`
}
