package planner

import (
	"slices"
	"strings"

	"github.com/syncline/syncline/config"
)

// scheduleUsers names the desired tasks that use the schedule at addr, whose
// next runs move with it; "" when none does.
func (c *computation) scheduleUsers(addr string) string {
	var users []string
	for taskAddr, d := range c.desired {
		if d.Kind == config.KindTask && d.Spec["schedule"] == addr {
			users = append(users, taskAddr)
		}
	}
	if len(users) == 0 {
		return ""
	}
	slices.Sort(users)
	return "Used by " + strings.Join(users, ", ") + "; their next runs change with it."
}
