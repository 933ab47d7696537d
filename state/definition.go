package state

import (
	"encoding/json"
	"time"
)

// Definition is one applied definition as the store keeps it: a resource,
// schedule or task with its canonical spec. The planner produces these from
// the configuration; the store saves them verbatim.
type Definition struct {
	Kind string // "resource", "schedule" or "task"
	Name string
	// Spec is the canonical, flattened spec: attribute path → canonical
	// rendering (quoted strings, expressions as normalized source text,
	// sensitive values as "(sensitive sha256:…)"). It never holds a secret.
	Spec map[string]string
	// Hash is the hex SHA-256 of the canonical spec, computed by the planner.
	Hash       string
	SourceFile string
	SourceLine int
	// Revision is the config revision (a git commit, or "" for a working
	// directory) the definition was applied from.
	Revision  string
	UpdatedAt time.Time // set by the store
}

// Address returns "kind.name".
func (d *Definition) Address() string { return d.Kind + "." + d.Name }

// Snapshot is the stored state a plan is computed against.
type Snapshot struct {
	Lineage     string // "" when the store has never been initialized
	Serial      int64
	Definitions map[string]*Definition // by address
	// ShadowCounts maps a resource name to how many shadows it has in the
	// repository; a resource with shadows may only be removed with
	// -allow-destroy.
	ShadowCounts map[string]int
	// Key is the state's secret key, for fingerprints of sensitive values
	// and the MAC of plan files; an empty snapshot of a store that does
	// not exist yet carries an EphemeralKey, and says so in KeyEphemeral.
	Key          SecretKey
	KeyEphemeral bool
}

// Move renames a definition, keeping its history.
type Move struct {
	From, To string // addresses
}

// ApplyRequest is everything one apply changes, done in one transaction.
type ApplyRequest struct {
	// Lineage and Serial are those of the snapshot the plan was computed
	// against; the store refuses the request when they no longer match.
	// An empty Lineage is accepted only by a store that has none yet.
	Lineage string
	Serial  int64

	Moves   []Move        // applied first
	Upserts []*Definition // created or replaced
	Deletes []string      // addresses

	Who      string // OS user or git author
	Revision string
	// Changes is the plan's summary of changes, kept in the history as is.
	Changes json.RawMessage
	// ForcedOver is the revision applied before, when it is not an
	// ancestor of Revision: the branch was force-pushed. "" otherwise.
	ForcedOver string
}

// ApplyResult says what an apply did.
type ApplyResult struct {
	Lineage string
	Serial  int64 // unchanged when nothing changed
	Changed bool
}

// ApplyRecord is one entry of the append-only apply history.
type ApplyRecord struct {
	ID       int64
	At       time.Time
	Who      string
	Revision string
	Serial   int64
	Changes  json.RawMessage
	// ForcedOver is the revision this apply replaced after a force-push,
	// or "" (see ApplyRequest.ForcedOver).
	ForcedOver string
}

// LockInfo describes who holds the apply lock.
type LockInfo struct {
	ID        string
	Operation string // "apply", …
	Holder    string // OS user
	Host      string
	PID       int
	Since     time.Time
}
