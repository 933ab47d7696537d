package planner

// Action is what an apply does to one definition, or to one attribute of
// it.
type Action string

// Actions. Attribute changes use only Create, Update and Delete.
const (
	// Create stores a definition that is not stored yet.
	Create Action = "create"
	// Update changes a stored definition in place, keeping its history.
	Update Action = "update"
	// Delete removes a stored definition that is no longer configured.
	Delete Action = "delete"
	// Replace removes a stored definition and stores a new one at the same
	// address, because an identity-defining attribute changed (a resource's
	// connector).
	Replace Action = "replace"
	// MoveOnly renames a stored definition (a moved block) without changing
	// its spec. A move that also changes the spec is an Update or Replace
	// with Change.PreviousAddress set.
	MoveOnly Action = "move"
)

// Symbol is the marker views print before a change: + ~ - -/+ and -> for a
// move.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Delete:
		return "-"
	case Replace:
		return "-/+"
	case MoveOnly:
		return "->"
	}
	return "?"
}
