package connector

import "context"

// ChangeFeed is implemented by connectors that can tell what changed on
// their resource since a token, for live synchronization. Check
// Capabilities().LiveSync before using it: a connector may implement the
// interface yet not be configured for it (a sql table without a
// change_column). Feed does both checks.
type ChangeFeed interface {
	// Changes calls fn for every change since token, oldest first, and
	// returns the token to pass next time. The empty token means "from
	// now": the first call reports no changes and returns a token marking
	// the present. A token stays valid until a newer one is passed, so a
	// caller that fails half-way through calls again with the same token
	// and sees the same changes again (at least once delivery). When fn
	// returns an error, Changes stops and returns it.
	Changes(ctx context.Context, token string, fn func(Change) error) (string, error)
}

// ChangeType says what happened to an object.
type ChangeType string

// Change types.
const (
	ChangeCreate ChangeType = "create"
	ChangeUpdate ChangeType = "update"
	// ChangeUpsert: the object was created or updated; the connector
	// cannot tell which (a sql table's change_column).
	ChangeUpsert ChangeType = "upsert"
	ChangeDelete ChangeType = "delete"
)

// Change is one entry of a change feed.
type Change struct {
	Type ChangeType
	ID   string
	// Object is the object as it is now; empty for ChangeDelete.
	Object Object
	// Token, when not "", resumes the feed right after this change, so a
	// caller may commit progress part way; "" means only the token
	// Changes returns resumes the feed.
	Token string
}

// Feed returns c's change feed, or an *Error of kind ErrUnsupported when c
// has none or is not configured for one.
func Feed(c Connector) (ChangeFeed, error) {
	f, ok := c.(ChangeFeed)
	if !ok || !c.Capabilities().LiveSync {
		return nil, ErrorBuilder{Resource: c.Resource()}.New(ErrUnsupported, "changes", nil,
			"This resource has no change feed as configured; docs/connectors.md says what each connector needs for live sync.")
	}
	return f, nil
}
