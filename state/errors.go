package state

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Error is what every Store method returns when it fails: the operation it
// was doing, the store's location, the cause and, when the user can do
// something about it, a hint. The cause is often one of the typed errors
// below; use errors.As to reach it.
type Error struct {
	Op       string // "open", "migrate", "init", "snapshot", "apply", "history", "lock", "unlock", "tasks", "suspend", "run", …
	Location string // the store's path; "" when not known yet
	Err      error  // the cause
	Hint     string // a whole sentence saying what to do, or ""
}

func (e *Error) Error() string {
	var b strings.Builder
	var r refusal
	if errors.As(e.Err, &r) {
		// A refusal speaks for itself: the operation and the store's
		// path would only be noise in front of it.
		b.WriteString(e.Err.Error())
		if e.Hint != "" {
			b.WriteString("\n")
			b.WriteString(e.Hint)
		}
		return b.String()
	}
	b.WriteString("state ")
	b.WriteString(e.Op)
	if e.Location != "" {
		b.WriteString(" ")
		b.WriteString(e.Location)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Hint != "" {
		b.WriteString("\n")
		b.WriteString(e.Hint)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// refusal is an error that says why the store refused a request about
// something a person named — a run, a task, a lock — rather than that the
// store failed.
type refusal interface{ refusal() }

func (*UnknownTaskError) refusal() {}
func (*TaskStateError) refusal()   {}
func (*UnknownRunError) refusal()  {}
func (*RunStateError) refusal()    {}
func (*UnknownLockError) refusal() {}

// ErrNotStore matches, with errors.Is, every NotStoreError.
var ErrNotStore = errors.New("not a Syncline state store")

// NotStoreError says the file at the state location is something other
// than a Syncline store. The file is left exactly as it was.
type NotStoreError struct {
	Path   string
	Reason string // "the file is empty", "the file is not a SQLite database", …
}

func (e *NotStoreError) Error() string {
	// The path is left out: the *Error around it names the location.
	return "not a Syncline state store: " + e.Reason
}

// Is makes errors.Is(err, ErrNotStore) true.
func (e *NotStoreError) Is(target error) bool { return target == ErrNotStore }

// SchemaVersionError says the store's schema version is not the one this
// binary can use: newer than it knows, or (for a read-only open) older.
type SchemaVersionError struct {
	StoreVersion int // the version recorded in the store
	KnownVersion int // the newest version this binary knows
}

func (e *SchemaVersionError) Error() string {
	if e.StoreVersion > e.KnownVersion {
		return fmt.Sprintf("the store has schema version %d, newer than version %d that this syncline knows",
			e.StoreVersion, e.KnownVersion)
	}
	return fmt.Sprintf("the store has schema version %d, older than version %d that this syncline needs",
		e.StoreVersion, e.KnownVersion)
}

// UnsupportedLocationError says the state location names a backend this
// binary does not have.
type UnsupportedLocationError struct {
	Location string
	Reason   string
	// Hidden says Location is a URL shown by its scheme only: the rest
	// may hold a password in any part, so it is never quoted.
	Hidden bool
}

func (e *UnsupportedLocationError) Error() string {
	if e.Hidden {
		return fmt.Sprintf("unsupported state location %s (the rest of the URL is not shown: it may hold secrets): %s", e.Location, e.Reason)
	}
	return fmt.Sprintf("unsupported state location %q: %s", e.Location, e.Reason)
}

// LineageMismatchError says a plan was computed against a different state
// than the one it is being applied to.
type LineageMismatchError struct {
	PlanLineage  string // "" when the plan was made against an uninitialized state
	StateLineage string // "" when the store has none yet
}

func (e *LineageMismatchError) Error() string {
	return fmt.Sprintf("the plan was made against state lineage %s, but this state has lineage %s",
		orNone(e.PlanLineage), orNone(e.StateLineage))
}

func orNone(lineage string) string {
	if lineage == "" {
		return "(none)"
	}
	return lineage
}

// StaleError says the state changed after the plan was computed.
type StaleError struct {
	PlanSerial  int64
	StateSerial int64
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("the plan is stale: it was made against serial %d, the state is now at serial %d",
		e.PlanSerial, e.StateSerial)
}

// ConflictError says an apply asked for something the stored definitions
// do not allow: moving from an address that is not stored, onto one that
// is, or deleting an address that is not stored.
type ConflictError struct {
	Action  string // "move" or "delete"
	Address string
	Reason  string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("cannot %s %s: %s", e.Action, e.Address, e.Reason)
}

// InvalidRequestError says an ApplyRequest is malformed, whatever the
// stored state: a definition without a kind, name or hash, a malformed
// address, an address named twice, changes that are not JSON.
type InvalidRequestError struct {
	Reason string
}

func (e *InvalidRequestError) Error() string { return "invalid apply request: " + e.Reason }

// LockedError says the apply lock is held by someone else.
type LockedError struct {
	Holder LockInfo
	// HolderGone is true when the holder ran on this host and its process
	// no longer exists, so the lock was left behind.
	HolderGone bool
}

func (e *LockedError) Error() string {
	h := e.Holder
	msg := fmt.Sprintf("the state is locked by %s on %s (pid %d) for %s since %s; lock ID %s",
		h.Holder, h.Host, h.PID, h.Operation, h.Since.Format(time.RFC3339), h.ID)
	if e.HolderGone {
		msg += fmt.Sprintf("; the holder process (pid %d) is gone", h.PID)
	}
	return msg
}

// UnknownLockError says Unlock was given an ID that does not hold the lock.
type UnknownLockError struct {
	ID   string
	Held *LockInfo // the lock actually held, or nil when the lock is free
}

func (e *UnknownLockError) Error() string {
	if e.Held == nil {
		return fmt.Sprintf("no lock with ID %s: the state is not locked", e.ID)
	}
	return fmt.Sprintf("no lock with ID %s: the state is locked with ID %s by %s on %s (pid %d)",
		e.ID, e.Held.ID, e.Held.Holder, e.Held.Host, e.Held.PID)
}
