package connector

import "strings"

// Capabilities says what a connector can do on its resource as configured.
type Capabilities struct {
	Read   bool // Search, Get and Test
	Create bool
	Update bool
	Delete bool
	// Rename is true when the connector implements Renamer: an object
	// can get a new identifier and stay the same object.
	Rename bool
	// Batch is true when the connector implements Batcher: many writes
	// in one call, with a result per operation.
	Batch bool

	// MultiValued is true when attributes may hold several values (a csv
	// file with a multivalue_delimiter); otherwise every attribute holds
	// at most one value and a second one is ErrInvalidObject.
	MultiValued bool

	// LiveSync is true when the connector implements ChangeFeed and is
	// configured for it.
	LiveSync bool
	// LiveSyncDeletes is true when the change feed reports deletions;
	// otherwise only a reconciliation finds deleted objects.
	LiveSyncDeletes bool
}

// String lists the capabilities in words: "read, create, update, delete,
// live sync".
func (c Capabilities) String() string {
	var parts []string
	for _, p := range []struct {
		on   bool
		name string
	}{
		{c.Read, "read"}, {c.Create, "create"}, {c.Update, "update"}, {c.Delete, "delete"}, {c.Rename, "rename"}, {c.Batch, "batch writes"},
		{c.MultiValued, "multi-valued attributes"},
	} {
		if p.on {
			parts = append(parts, p.name)
		}
	}
	switch {
	case c.LiveSync && c.LiveSyncDeletes:
		parts = append(parts, "live sync")
	case c.LiveSync:
		parts = append(parts, "live sync (without deletions)")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
