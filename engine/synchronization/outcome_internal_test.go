package synchronization

import (
	"maps"
	"testing"

	"github.com/syncline/syncline/state"
)

// An outcome that changed only a shadow's queue and hash is stored as
// such (outcome.queues); one that changed any other column the outcome
// stores, or its attributes in place, or its identifier, is stored whole.
func TestOutcomeQueuesOnlyWhatChangedNothingElse(t *testing.T) {
	t.Parallel()
	stored := func() *state.Shadow {
		return &state.Shadow{ID: 7, Resource: "app", Kind: "account", Intent: "default", Identifier: "ann", Key: "ann",
			Attributes: map[string][]string{"login": {"ann"}, "mail": {"ann@example.com"}, "phone": nil},
			Owner:      3, Situation: "linked",
			Pending: []state.PendingOperation{{Op: state.OpCreate}}}
	}
	tests := []struct {
		name   string
		change func(s *step)
		queue  bool
	}{
		{"created as queued", func(s *step) {
			s.sh.Attributes = maps.Clone(s.sh.Attributes)
			s.sh.Pending, s.sh.Hash = nil, "h"
		}, true},
		{"failed, kept pending", func(s *step) { s.sh.Pending[0].Attempts = 1 }, true},
		{"an attribute changed", func(s *step) {
			s.sh.Attributes = map[string][]string{"login": {"ann"}, "mail": {"ann@example.org"}, "phone": nil}
		}, false},
		{"an attribute gone", func(s *step) {
			s.sh.Attributes = map[string][]string{"login": {"ann"}, "mail": {"ann@example.com"}}
		}, false},
		{"a null value made empty", func(s *step) {
			s.sh.Attributes = map[string][]string{"login": {"ann"}, "mail": {"ann@example.com"}, "phone": {}}
		}, false},
		{"attributes changed in place", func(s *step) {
			delete(s.sh.Attributes, "phone")
			s.rewritten = true
		}, false},
		{"owner", func(s *step) { s.sh.Owner = 0 }, false},
		{"situation", func(s *step) { s.sh.Situation = "deleted" }, false},
		{"dead", func(s *step) { s.sh.Dead = true }, false},
		{"renamed", func(s *step) { s.sh.Identifier, s.renamed = "anna", true }, false},
	}
	for _, tt := range tests {
		x := &executor{w: &world{job: &Job{}}}
		steps := []*step{{sh: stored(), changed: true}}
		steps[0].was = columnsOf(steps[0].sh)
		tt.change(steps[0])
		o := x.outcome(steps)
		if len(o.changed) != 1 || o.queues[7] != tt.queue {
			t.Errorf("%s: %d changed, stored as a queue %t, want 1, %t", tt.name, len(o.changed), o.queues[7], tt.queue)
		}
		x.w.job.wholeOutcomes = true
		if o := x.outcome(steps); o.queues[7] {
			t.Errorf("%s: stored as a queue with every outcome whole", tt.name)
		}
	}
}
