package planner

// summarize counts the changes: a replacement is one add and one remove; a
// moved definition counts as a move, and also as a change when its spec
// changes.
func summarize(changes []Change) Summary {
	var s Summary
	for _, c := range changes {
		switch c.Action {
		case Create:
			s.Add++
		case Update:
			s.Change++
		case Delete:
			s.Remove++
		case Replace:
			s.Add++
			s.Remove++
		}
		if c.PreviousAddress != "" {
			s.Move++
		}
	}
	return s
}
