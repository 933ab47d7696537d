package connector

import "context"

// Renamer is an optional part of a connector: it gives an object a new
// identifier and keeps the object — its other attributes, and on a
// directory the entry itself (its entryUUID), so that what refers to it
// stays valid. A connector that implements it says so with
// Capabilities.Rename.
//
// Syncline renames an account when its outbound mappings give it a new
// identifier (a person's login changed): without the capability, that is
// the account's error.
type Renamer interface {
	// Rename gives the object with identifier id the identifier newID:
	// ErrNotFound when there is no such object, ErrAlreadyExists when
	// newID is taken (and nothing changes).
	Rename(ctx context.Context, id, newID string) error
}
