package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/syncline/syncline/config"
)

// guardShadows stops a plan that removes or replaces a resource that still
// has shadows, unless AllowDestroy is set; then it says what is dropped.
func (c *computation) guardShadows(ch *Change) {
	if ch.Action != Delete && ch.Action != Replace {
		return
	}
	n := c.snapshot.ShadowCounts[ch.Before.Name]
	if n <= 0 {
		return
	}
	verb := "removing it"
	if ch.Action == Replace {
		verb = "replacing it (its connector changes)"
	}
	if !c.opts.AllowDestroy {
		c.plan.Errors = append(c.plan.Errors, fmt.Sprintf(
			"%s has %s; %s would drop them. Keep the resource, or plan again allowing destruction (-allow-destroy) if the shadows may go.",
			ch.Address, shadows(n), verb))
		return
	}
	ch.Notes = append(ch.Notes, fmt.Sprintf("The resource's %s will be dropped.", shadows(n)))
}

func shadows(n int) string {
	if n == 1 {
		return "1 shadow"
	}
	return fmt.Sprintf("%d shadows", n)
}

// connectionNote warns that an updated resource's connection changes: its
// activities will read from and write to what the new settings reach. It
// names the changed settings (never their values) and the tasks affected.
func (c *computation) connectionNote(ch *Change) string {
	if ch.Action != Update {
		return "" // a replacement is called out already
	}
	var paths []string
	for _, a := range ch.Attributes {
		if strings.HasPrefix(a.Path, "connection.") {
			paths = append(paths, a.Path)
		}
	}
	if len(paths) == 0 {
		return ""
	}
	note := fmt.Sprintf("The connection changes (%s): check that it still reaches the intended system.", strings.Join(paths, ", "))
	if users := c.resourceUsers(ch.Address); len(users) > 0 {
		note += " Used by " + strings.Join(users, ", ") + "."
	}
	return note
}

// resourceUsers names the desired tasks with an activity on the resource
// at addr, sorted.
func (c *computation) resourceUsers(addr string) []string {
	var users []string
	for taskAddr, d := range c.desired {
		if d.Kind != config.KindTask {
			continue
		}
		for path, v := range d.Spec {
			if strings.HasSuffix(path, ".resource") && v == addr {
				users = append(users, taskAddr)
				break
			}
		}
	}
	slices.Sort(users)
	return users
}
