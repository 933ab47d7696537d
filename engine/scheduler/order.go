package scheduler

import (
	"slices"

	"github.com/syncline/syncline/config"
)

// Order returns the enabled tasks in the order syncline up runs them, one
// after another: a task after every task its after names, ties by name.
// With selected non-nil, only the selected tasks and those that run after
// them (transitively) are kept. It is pure: the order is data.
func Order(tasks []*config.Task, selected map[string]bool) []*config.Task {
	byName := map[string]*config.Task{}
	for _, t := range tasks {
		if t.Enabled {
			byName[t.Name] = t
		}
	}
	if selected != nil {
		keepFollowers(byName, selected)
	}
	var order []*config.Task
	done := map[string]bool{}
	for len(order) < len(byName) {
		var ready []string
		for name, t := range byName {
			if !done[name] && afterDone(t, byName, done) {
				ready = append(ready, name)
			}
		}
		if len(ready) == 0 {
			break // a cycle; the configuration refuses those at load time
		}
		slices.Sort(ready)
		// One at a time, so that a task that becomes ready runs right
		// after what it waits for, before unrelated tasks later in the
		// alphabet.
		done[ready[0]] = true
		order = append(order, byName[ready[0]])
	}
	return order
}

// keepFollowers removes from byName every task that is neither selected
// nor runs after a selected task (transitively).
func keepFollowers(byName map[string]*config.Task, selected map[string]bool) {
	keep := map[string]bool{}
	for name := range selected {
		if byName[name] != nil {
			keep[name] = true
		}
	}
	for grew := true; grew; {
		grew = false
		for name, t := range byName {
			for _, ref := range t.After {
				if keep[ref.Name] && !keep[name] {
					keep[name], grew = true, true
				}
			}
		}
	}
	for name := range byName {
		if !keep[name] {
			delete(byName, name)
		}
	}
}

// afterDone reports whether every task t runs after that is being run is
// done.
func afterDone(t *config.Task, run map[string]*config.Task, done map[string]bool) bool {
	for _, ref := range t.After {
		if run[ref.Name] != nil && !done[ref.Name] {
			return false
		}
	}
	return true
}
