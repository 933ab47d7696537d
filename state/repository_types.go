package state

import "time"

// The repository is syncline's own record of identities: users (focus
// objects) and shadows (what syncline knows of each resource object). The
// synchronization activities in engine/synchronization read and write it
// through a RepositoryTx, one write transaction per batch of objects.

// User statuses.
const (
	UserActive   = "active"
	UserDisabled = "disabled"
)

// User is a focus object: an identity in syncline's repository.
type User struct {
	ID     int64
	Name   string // unique
	Status string // UserActive or UserDisabled
	// Attributes are the user's other attributes; a missing attribute has
	// no value. Name and status are never among them.
	Attributes map[string]string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Encoded, when made by EncodeUserAttributes of Attributes, is their
	// encoding, made beforehand (repository_encoded.go); else ignored.
	Encoded UserAttributes
}

// Shadow is syncline's record of one resource object.
type Shadow struct {
	ID       int64
	Resource string
	Kind     string
	Intent   string
	// Identifier is the object's identifier as the resource last spelled
	// it; Key is the form identifiers are matched in (the connector's
	// matching rules: case-folded where the resource ignores case).
	Identifier string
	Key        string
	// Attributes are the object's attributes as last seen (or, for an
	// object syncline created, as written).
	Attributes map[string][]string
	// Hash identifies Attributes; MappingHash identifies the object
	// type's mappings and the values they used when the shadow was last
	// synchronized. An object whose hash and mapping hash are unchanged
	// needs no work.
	Hash        string
	MappingHash string
	Owner       int64  // the linked user's ID; 0 when not linked
	Situation   string // linked, unlinked, disputed, unmatched, deleted
	// SyncedAt is when the object was last fully synchronized; zero: never.
	SyncedAt time.Time
	// Dead is true when the object is known to be gone from the resource.
	Dead bool
	// Pending are provisioning operations not yet done on the resource,
	// oldest first.
	Pending   []PendingOperation
	CreatedAt time.Time
	UpdatedAt time.Time
	// Encoded, when made by EncodeShadowAttributes of Attributes, is their
	// encoding, made beforehand (repository_encoded.go); else ignored.
	Encoded ShadowAttributes
}

// Pending operation kinds.
const (
	OpCreate  = "create"
	OpUpdate  = "update"
	OpDelete  = "delete"
	OpDisable = "disable"
	// OpRename gives the object the identifier and key the operation
	// names; the shadow takes them once it is carried out.
	OpRename = "rename"
)

// PendingOperation is a provisioning change queued on a shadow: because
// the resource groups changes (grouping_interval) or was unreachable.
type PendingOperation struct {
	Op string // OpCreate, OpUpdate, OpDelete, OpDisable or OpRename
	// Identifier and Key are a rename's new identifier and its key (the
	// identifier as the resource matches it).
	Identifier string `json:",omitempty"`
	Key        string `json:",omitempty"`
	// Attributes: for create, the whole object; for update and disable,
	// the attributes to replace (an empty list clears one).
	Attributes map[string][]string `json:",omitempty"`
	QueuedAt   time.Time
	// Attempts counts failed tries; NextAttemptAt is when the next may
	// happen (zero: at once).
	Attempts      int       `json:",omitempty"`
	NextAttemptAt time.Time `json:",omitzero"`
	LastError     string    `json:",omitempty"`
}

// ShadowSummary is what a synchronization pass needs of every shadow of
// an object type up front, to tell unchanged objects apart without a read
// per object.
type ShadowSummary struct {
	ID          int64
	Key         string
	Hash        string
	MappingHash string
	Owner       int64
	Situation   string
	Dead        bool
	HasPending  bool
}

// RunChange is one change a run made or, in preview, would make: to a
// user or to a resource object. Runs keep them so that `syncline runs
// show` can say exactly what changed.
type RunChange struct {
	Activity string // the activity's name in the task
	// Object is "user" or "account" (a resource object of any kind).
	Object string
	// Op: for users "add", "modify", "disable", "enable", "delete",
	// "link", "unlink"; for resource objects "create", "modify",
	// "disable", "delete".
	Op string
	// User is the user's name (for resource objects: the owner's, or "").
	User string
	// Resource, Kind, Intent and Identifier name the resource object
	// (empty for user changes that concern no object).
	Resource   string `json:",omitempty"`
	Kind       string `json:",omitempty"`
	Intent     string `json:",omitempty"`
	Identifier string `json:",omitempty"`
	Situation  string `json:",omitempty"`
	// Attributes are the changed attributes, each with its values before
	// and after (nil: no value).
	Attributes []AttributeChange `json:",omitempty"`
	// NewIdentifier is a rename's new identifier (Identifier is the old).
	NewIdentifier string `json:",omitempty"`
	// Error, when set, says the operation on the resource object failed
	// with it: nothing was written.
	Error string `json:",omitempty"`
}

// AttributeChange is one attribute's values before and after a change.
type AttributeChange struct {
	Name   string
	Before []string `json:",omitempty"`
	After  []string `json:",omitempty"`
}
