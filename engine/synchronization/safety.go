package synchronization

import (
	"errors"
	"fmt"

	"github.com/syncline/syncline/config"
)

// ThresholdError stops an activity before the operation that would
// exceed one of its thresholds.
type ThresholdError struct {
	What  string // "deletions", "disables", "creations" or "membership_removals"
	Limit int
	Item  string // the object whose changes would have exceeded it
}

func (e *ThresholdError) Error() string {
	return fmt.Sprintf("stopped before exceeding max_%s = %d: the changes of %q would make %s number %d; nothing beyond the limit was done. Check the source data, then raise the threshold if the changes are intended",
		e.What, e.Limit, e.Item, e.What, e.Limit+1)
}

// ErrorLimitError stops an activity whose error policy says so.
type ErrorLimitError struct {
	Errors int
	Action string
}

func (e *ErrorLimitError) Error() string {
	if e.Action == "stop" {
		return "stopped at the first object error (errors { action = \"stop\" })"
	}
	return fmt.Sprintf("stopped after %d object errors (errors { stop_after = %d })", e.Errors, e.Errors)
}

// IsPolicyStop reports whether err is a threshold or error-policy stop.
func IsPolicyStop(err error) bool {
	var t *ThresholdError
	var l *ErrorLimitError
	return errors.As(err, &t) || errors.As(err, &l)
}

// safety counts an activity's operations and errors against its
// thresholds and error policy. It is used by one goroutine (the pass's
// committer), except errors, which addError guards.
type safety struct {
	limits config.Thresholds
	policy config.ErrorPolicy
	done   counts
	errors int
}

func newSafety(a *config.Activity) *safety {
	s := &safety{policy: config.ErrorPolicy{Action: "continue"}}
	if a != nil && a.Thresholds != nil {
		s.limits = *a.Thresholds
	}
	if a != nil && a.Errors != nil {
		s.policy = *a.Errors
	}
	return s
}

// admit counts c, or returns the ThresholdError that c would cause and
// counts nothing.
func (s *safety) admit(item string, c counts) error {
	for _, l := range []struct {
		what       string
		limit, now int
		add        int
	}{
		{"deletions", s.limits.MaxDeletions, s.done.deletions, c.deletions},
		{"disables", s.limits.MaxDisables, s.done.disables, c.disables},
		{"creations", s.limits.MaxCreations, s.done.creations, c.creations},
		{"membership_removals", s.limits.MaxMembershipRemovals, s.done.memberRemovals, c.memberRemovals},
	} {
		if l.limit > 0 && l.add > 0 && l.now+l.add > l.limit {
			return &ThresholdError{What: l.what, Limit: l.limit, Item: item}
		}
	}
	s.done.creations += c.creations
	s.done.deletions += c.deletions
	s.done.disables += c.disables
	s.done.memberRemovals += c.memberRemovals
	return nil
}

// addError counts one object error and says whether the activity must
// stop.
func (s *safety) addError() error {
	s.errors++
	switch {
	case s.policy.Action == "stop":
		return &ErrorLimitError{Errors: s.errors, Action: "stop"}
	case s.policy.StopAfter > 0 && s.errors >= s.policy.StopAfter:
		return &ErrorLimitError{Errors: s.errors, Action: "continue"}
	}
	return nil
}
