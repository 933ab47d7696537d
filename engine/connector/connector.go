package connector

import (
	"context"
	"iter"
)

// Connector reaches one resource. Methods may be called from several
// goroutines at once; a connector serializes what its resource needs
// serialized (the csv connector rewrites its file under a lock).
//
// A method the connector's Capabilities leave out returns an *Error of kind
// ErrUnsupported.
type Connector interface {
	// Resource is the name of the resource this connector reaches.
	Resource() string

	// Capabilities says which operations work on this resource as
	// configured.
	Capabilities() Capabilities

	// Test checks the connection and reports what it found: the
	// attributes, the identifier and how many objects there are.
	Test(ctx context.Context) (*TestResult, error)

	// Search streams the objects of an object class. An error of kind
	// ErrInvalidObject concerns one object (a malformed CSV row, a
	// duplicate identifier) and ranging may go on; any other error ends
	// the sequence. Breaking out of the loop releases what the search
	// holds. Other methods of the connector may be called while ranging.
	Search(ctx context.Context, q Query) iter.Seq2[Object, error]

	// Get reads the object with identifier id (ErrNotFound when there is
	// none).
	Get(ctx context.Context, id string) (Object, error)

	// Create adds obj (ErrAlreadyExists when its identifier is taken).
	Create(ctx context.Context, obj Object) error

	// Update applies mods to the object with identifier id, atomically:
	// either every modification is made or none is.
	Update(ctx context.Context, id string, mods []Modification) error

	// Delete removes the object with identifier id (ErrNotFound when there
	// is none).
	Delete(ctx context.Context, id string) error

	// Close releases connections and files. The connector must not be
	// used afterwards.
	Close() error
}

// Query selects what Search streams.
type Query struct {
	// ObjectClass is the class to search; "" means the connector's
	// default class.
	ObjectClass string

	// PageSize is how many objects one round trip fetches from a paged
	// resource; 0 means DefaultPageSize. Streaming connectors (csv)
	// ignore it.
	PageSize int
}

// DefaultPageSize is the page size of a Query that names none.
const DefaultPageSize = 500

// MaxPageSize bounds Query.PageSize, and so the memory a search holds.
const MaxPageSize = 100_000

// Size returns the page size to use for q.
func (q Query) Size() int {
	switch {
	case q.PageSize <= 0:
		return DefaultPageSize
	case q.PageSize > MaxPageSize:
		return MaxPageSize
	}
	return q.PageSize
}

// DefaultObjectClass is the one object class of connectors whose resource
// holds one kind of object (a CSV file, a SQL table): each row is an object.
const DefaultObjectClass = "row"
