package views

import (
	"time"

	"github.com/syncline/syncline/state"
)

// runView is a run in the JSON that runs and runs show print: snake_case
// fields, times in RFC 3339, absent times omitted.
type runView struct {
	ID          int64                  `json:"id"`
	Task        string                 `json:"task"`
	Trigger     string                 `json:"trigger"`
	TriggeredBy string                 `json:"triggered_by,omitempty"`
	Mode        string                 `json:"mode"`
	Revision    string                 `json:"revision"`
	Serial      int64                  `json:"serial"`
	State       string                 `json:"state"`
	Priority    int                    `json:"priority"`
	Attempt     int                    `json:"attempt"`
	RetryOf     int64                  `json:"retry_of,omitempty"`
	CreatedAt   time.Time              `json:"created_at"`
	ScheduledAt time.Time              `json:"scheduled_at,omitzero"`
	StartedAt   time.Time              `json:"started_at,omitzero"`
	FinishedAt  time.Time              `json:"finished_at,omitzero"`
	Error       string                 `json:"error,omitempty"`
	Note        string                 `json:"note,omitempty"`
	Activities  []state.ActivityResult `json:"activities"`
}

func runJSON(r state.Run) runView {
	acts := r.Activities
	if acts == nil {
		acts = []state.ActivityResult{}
	}
	return runView{
		ID: r.ID, Task: r.Task, Trigger: string(r.Trigger), TriggeredBy: r.TriggeredBy, Mode: r.Mode,
		Revision: r.Revision, Serial: r.Serial, State: string(r.State), Priority: r.Priority, Attempt: r.Attempt,
		RetryOf: r.RetryOf, CreatedAt: r.CreatedAt, ScheduledAt: r.ScheduledAt, StartedAt: r.StartedAt,
		FinishedAt: r.FinishedAt, Error: r.Error, Note: r.Note, Activities: acts,
	}
}

func runsJSON(runs []state.Run) []runView {
	out := make([]runView, 0, len(runs))
	for _, r := range runs {
		out = append(out, runJSON(r))
	}
	return out
}

// runShowView is a run as runs show -json prints it: the run, the changes
// listed (as many as -changes says) and how many there are in all.
type runShowView struct {
	runView
	Changes       []changeView       `json:"changes"`
	ChangesTotal  int                `json:"changes_total"`
	Notifications []notificationView `json:"notifications"`
}

// changeView is a recorded change in JSON; absent before or after: no
// value.
type changeView struct {
	Activity   string `json:"activity"`
	Object     string `json:"object"`
	Op         string `json:"op"`
	User       string `json:"user,omitempty"`
	Resource   string `json:"resource,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Intent     string `json:"intent,omitempty"`
	Identifier string `json:"identifier,omitempty"`
	// NewIdentifier is a rename's new identifier.
	NewIdentifier string                `json:"new_identifier,omitempty"`
	Situation     string                `json:"situation,omitempty"`
	Attributes    []attributeChangeView `json:"attributes,omitempty"`
	// Error says the operation failed: nothing was written.
	Error string `json:"error,omitempty"`
}

type attributeChangeView struct {
	Name   string   `json:"name"`
	Before []string `json:"before,omitempty"`
	After  []string `json:"after,omitempty"`
}

func runShowJSON(r state.Run, rc RunChanges, notes []state.Notification) runShowView {
	changes := make([]changeView, 0, len(rc.Listed))
	for _, c := range rc.Listed {
		changes = append(changes, changeJSON(c))
	}
	return runShowView{runView: runJSON(r), Changes: changes, ChangesTotal: rc.Total, Notifications: notificationsJSON(notes)}
}

func changeJSON(c state.RunChange) changeView {
	v := changeView{Activity: c.Activity, Object: c.Object, Op: c.Op, User: c.User, Resource: c.Resource,
		Kind: c.Kind, Intent: c.Intent, Identifier: c.Identifier, NewIdentifier: c.NewIdentifier, Situation: c.Situation, Error: c.Error}
	for _, a := range c.Attributes {
		v.Attributes = append(v.Attributes, attributeChangeView{Name: a.Name, Before: a.Before, After: a.After})
	}
	return v
}
