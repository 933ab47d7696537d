package views

import (
	"fmt"
	"strings"

	"github.com/syncline/syncline/config"
)

// Sync is the view of sync: the apply view, and what only a sync says —
// a force-push it syncs over, a branch already applied, a plan it only
// shows.
type Sync interface {
	Apply
	// ForcePush notes, before the plan, that the tip does not descend
	// from the applied commit previous.
	ForcePush(previous, tip string)
	// AlreadyAt says the branch's tip is applied already.
	AlreadyAt(r Synced)
	// PlanOnly says the plan_only policy applied nothing.
	PlanOnly()
}

// Synced is what one sync did, for the view and for serve's log.
type Synced struct {
	Repo, Branch, Commit string
	Forced               string // the commit a force-push replaced, or ""
	AlreadyAt, PlanOnly  bool
	// NoChanges is true when a plan was shown and it had no changes.
	NoChanges bool
	// Applied is what the apply did; nil when nothing was applied.
	Applied *Applied
}

var _ Sync = (*SyncHuman)(nil)

// NewSync returns the text view of sync, painting with color.
func NewSync(s Streams, color Color) Sync {
	return &SyncHuman{ApplyHuman: ApplyHuman{PlanHuman: PlanHuman{streams: s, color: color}}}
}

// SyncHuman is the text view of a sync.
type SyncHuman struct {
	ApplyHuman
}

// ForcePush writes the force-push note and a blank line.
func (v *SyncHuman) ForcePush(previous, tip string) {
	fmt.Fprintf(v.streams.Stdout, "%s\n\n", forcePushLine(previous, tip))
}

// AlreadyAt writes "Branch main of REPO is already at COMMIT; nothing to
// sync."
func (v *SyncHuman) AlreadyAt(r Synced) {
	fmt.Fprintf(v.streams.Stdout, "%s\n", alreadyAtLine(r))
}

// PlanOnly writes a blank line and the plan_only line.
func (v *SyncHuman) PlanOnly() {
	fmt.Fprintf(v.streams.Stdout, "\n%s\n", planOnlyLine)
}

const planOnlyLine = "The sync policy is plan_only: nothing was applied. Run again with -auto-approve to apply."

func forcePushLine(previous, tip string) string {
	return fmt.Sprintf("Note: force-push: previous %s is not an ancestor; syncing from the new tip %s.", config.ShortCommit(previous), config.ShortCommit(tip))
}

func alreadyAtLine(r Synced) string {
	return fmt.Sprintf("Branch %s of %s is already at %s; nothing to sync.", r.Branch, r.Repo, config.ShortCommit(r.Commit))
}

// SyncOutcome is the one-line account of a sync that serve -sync logs:
// the lines of the text view that say what happened, joined by spaces,
// without colour; "done" when none does.
func SyncOutcome(r Synced) string {
	var keep []string
	if r.AlreadyAt {
		keep = append(keep, alreadyAtLine(r))
	}
	if r.Forced != "" {
		keep = append(keep, forcePushLine(r.Forced, r.Commit))
	}
	if r.NoChanges {
		keep = append(keep, NoChanges)
	}
	if r.PlanOnly {
		keep = append(keep, planOnlyLine)
	}
	if r.Applied != nil {
		keep = append(keep, AppliedLines(*r.Applied, Color{})...)
	}
	if len(keep) == 0 {
		return "done"
	}
	return strings.Join(keep, " ")
}
