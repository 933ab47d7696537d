package views

import "github.com/syncline/syncline/state"

// forcedOverNote is what the history shows for an apply synced after a
// force-push: the revision it replaced, which is not its ancestor.
func forcedOverNote(h state.ApplyRecord, labels RevisionLabels) string {
	if h.ForcedOver == "" {
		return ""
	}
	return "  (force-push over " + labels.Label(h.ForcedOver) + ")"
}
