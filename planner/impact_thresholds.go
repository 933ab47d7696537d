package planner

import (
	"cmp"
	"slices"

	"github.com/syncline/syncline/config"
)

// thresholds returns the thresholds of cfg's task activities that the
// counts of the work each activity does would exceed. A reconciliation,
// import, live sync or async update counts what the decisions on its
// object type imply, on any resource (as it counts at run time); a
// recompute counts what provisioning the users implies.
func (b *ImpactBuilder) thresholds(cfg *config.Config) []ThresholdExceeded {
	if cfg == nil {
		return nil
	}
	var out []ThresholdExceeded
	for _, name := range config.SortedNames(cfg.Tasks) {
		for _, a := range cfg.Tasks[name].Activities {
			if a.Thresholds == nil {
				continue
			}
			src, ok := activitySource(a)
			if !ok {
				continue
			}
			c := b.bySource[src]
			if c == nil {
				continue
			}
			check := func(what string, limit, n int) {
				if limit > 0 && n > limit {
					out = append(out, ThresholdExceeded{Task: name, Activity: a.Name, Resource: src.Resource,
						Kind: src.Kind, Intent: src.Intent, What: what, Limit: limit, Count: n})
				}
			}
			check("deletions", a.Thresholds.MaxDeletions, c.UsersDeleted+c.Deletions)
			check("disables", a.Thresholds.MaxDisables, c.UsersDisabled+c.Disables)
			check("creations", a.Thresholds.MaxCreations, c.UsersAdded+c.Creations)
			check("membership_removals", a.Thresholds.MaxMembershipRemovals, c.MembershipRemovals)
		}
	}
	slices.SortStableFunc(out, func(x, y ThresholdExceeded) int { return cmp.Compare(x.Task, y.Task) })
	return out
}

// activitySource is the source whose decisions activity a makes.
func activitySource(a *config.Activity) (ImpactSource, bool) {
	switch a.Type {
	case config.ActivityRecompute:
		return ImpactSource{}, true
	case config.ActivityImport, config.ActivityReconciliation, config.ActivityLiveSync, config.ActivityAsyncUpdate:
		if a.Resource == nil {
			return ImpactSource{}, false
		}
		return ImpactSource{a.Resource.Name, a.Kind, a.Intent}, true
	}
	return ImpactSource{}, false
}
