package planner

import (
	"github.com/syncline/syncline/config"
)

// consequences adds what a change causes beyond its attributes: next runs,
// notes a reviewer must see, and errors that stop the plan.
func (c *computation) consequences(ch *Change) {
	switch ch.Kind {
	case config.KindSchedule:
		ch.NextRuns = c.scheduleNextRuns(ch)
		if ch.NextRuns != nil && ch.Action != Create {
			ch.Notes = appendNote(ch.Notes, c.scheduleUsers(ch.Address))
		}
	case config.KindTask:
		ch.NextRuns = c.taskNextRuns(ch)
		ch.Notes = append(ch.Notes, taskNotes(ch)...)
	case config.KindResource:
		c.guardShadows(ch)
		ch.Notes = appendNote(ch.Notes, c.connectionNote(ch))
	}
	if ch.Action == Delete {
		ch.Notes = appendNote(ch.Notes, c.prior.ignored[ch.Address])
	}
}

func appendNote(notes []string, note string) []string {
	if note == "" {
		return notes
	}
	return append(notes, note)
}
