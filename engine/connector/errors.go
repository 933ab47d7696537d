package connector

import (
	"errors"
	"fmt"
	"strings"
)

// The kinds of connector errors, matched with errors.Is on an *Error.
var (
	// ErrNotFound: no object has the identifier.
	ErrNotFound = errors.New("object not found")
	// ErrAlreadyExists: another object has the identifier (on create, or
	// twice in a csv file).
	ErrAlreadyExists = errors.New("identifier already in use")
	// ErrUnreachable: the resource could not be reached, or the
	// connection dropped. Nothing was changed by the failed call; callers
	// keep pending operations and retry later.
	ErrUnreachable = errors.New("resource unreachable")
	// ErrInvalidObject: one object cannot be read or written (a csv row
	// with the wrong number of fields, a second value for a single-valued
	// attribute). Other objects are not affected.
	ErrInvalidObject = errors.New("invalid object")
	// ErrSchema: the resource does not match the connection settings (a
	// table, column or object class that does not exist).
	ErrSchema = errors.New("schema mismatch")
	// ErrConfig: the connection settings are wrong on their own.
	ErrConfig = errors.New("invalid connection settings")
	// ErrUnsupported: the connector cannot do this as configured.
	ErrUnsupported = errors.New("not supported")
	// ErrInvalidToken: a change-feed token is malformed or its snapshot
	// is gone.
	ErrInvalidToken = errors.New("invalid change token")
	// ErrRejected: the resource refused the operation for a reason none
	// of the kinds above names (a permission denied, a server error).
	ErrRejected = errors.New("rejected by the resource")
)

// Error is what every connector returns when an operation fails.
type Error struct {
	Kind     error  // one of the Err… kinds above
	Op       string // "open", "test", "search", "get", "create", "update", "delete", "changes"
	Resource string // the resource's name
	Object   string // the object's identifier, or ""
	Line     int    // the line in a file, or 0
	Err      error  // the cause, or nil when Kind says it all
	Hint     string // a whole sentence saying what to do, or ""
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q: %s", e.Resource, e.Op)
	if e.Object != "" {
		fmt.Fprintf(&b, " %q", e.Object)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	b.WriteString(": ")
	b.WriteString(e.Kind.Error())
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Hint != "" {
		b.WriteString("\n")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) and the like true for e's Kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// IsObjectError reports whether err concerns one object only, so that a
// search may go on past it.
func IsObjectError(err error) bool { return errors.Is(err, ErrInvalidObject) }

// ErrorBuilder makes the errors of one resource.
type ErrorBuilder struct {
	Resource string
}

// New returns an *Error of kind for op, with cause (which may be nil) and
// hint.
func (b ErrorBuilder) New(kind error, op string, cause error, hint string) *Error {
	return &Error{Kind: kind, Op: op, Resource: b.Resource, Err: cause, Hint: hint}
}

// Object returns an *Error about the object with identifier id.
func (b ErrorBuilder) Object(kind error, op, id string, cause error, hint string) *Error {
	return &Error{Kind: kind, Op: op, Resource: b.Resource, Object: id, Err: cause, Hint: hint}
}

// Line returns an *Error about the object on a line of a file; id may be "".
func (b ErrorBuilder) Line(kind error, op string, line int, id string, cause error, hint string) *Error {
	return &Error{Kind: kind, Op: op, Resource: b.Resource, Object: id, Line: line, Err: cause, Hint: hint}
}
