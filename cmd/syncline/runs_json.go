package main

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
