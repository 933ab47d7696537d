package planner

import (
	"fmt"
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
