package console

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// Task statuses, as the grid shows them.
const (
	StatusIdle      = "Idle"
	StatusQueued    = "Queued"
	StatusRunning   = "Running"
	StatusSuspended = "Suspended"
	StatusClosed    = "Closed"
)

// TaskSummary is one row of the tasks grid and of GET /api/v1/tasks.
type TaskSummary struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Owner       string `json:"owner,omitempty"`
	// Types are the task's activity types, in order.
	Types    []string `json:"types"`
	Status   string   `json:"status"`
	Schedule string   `json:"schedule"`
	// NextRun is the next fire time in the schedule's time zone.
	NextRun *time.Time `json:"next_run,omitempty"`
	LastRun *RunBrief  `json:"last_run,omitempty"`
	// Suspension says who suspended or closed the task, why and since
	// when.
	Suspension *Suspension `json:"suspension,omitempty"`
}

// Suspension is why a task is suspended or closed.
type Suspension struct {
	By     string    `json:"by,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Since  time.Time `json:"since"`
}

// RunBrief is a run in a list: the last run of a task, a run in History.
type RunBrief struct {
	ID          int64     `json:"id"`
	Task        string    `json:"task"`
	State       string    `json:"state"`
	Trigger     string    `json:"trigger"`
	TriggeredBy string    `json:"triggered_by,omitempty"`
	Mode        string    `json:"mode"`
	Revision    string    `json:"revision,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	StartedAt   time.Time `json:"started_at,omitzero"`
	FinishedAt  time.Time `json:"finished_at,omitzero"`
	Error       string    `json:"error,omitempty"`
}

func brief(r state.Run) RunBrief {
	return RunBrief{ID: r.ID, Task: r.Task, State: string(r.State), Trigger: string(r.Trigger), TriggeredBy: r.TriggeredBy,
		Mode: r.Mode, Revision: r.Revision, CreatedAt: r.CreatedAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, Error: r.Error}
}

// When is when the run finished, or started, or was created.
func (b RunBrief) When() time.Time {
	switch {
	case !b.FinishedAt.IsZero():
		return b.FinishedAt
	case !b.StartedAt.IsZero():
		return b.StartedAt
	}
	return b.CreatedAt
}

// taskRows reads the tasks grid: every applied task (closed ones too),
// sorted by name. The state reads them in two statements, whatever their
// number (state.Store.TaskRows).
func (c *Console) taskRows(ctx context.Context) ([]TaskSummary, error) {
	all, err := c.cfg.Store.TaskRows(ctx)
	if err != nil {
		return nil, err
	}
	return c.summaries(ctx, all)
}

// summaries are the grid rows of the state's task rows.
func (c *Console) summaries(ctx context.Context, all []state.TaskRow) ([]TaskSummary, error) {
	st := c.cfg.Store
	var (
		defs map[string]*state.Definition // read only for tasks no longer configured
		err  error
	)
	rows := make([]TaskSummary, 0, len(all))
	for _, tr := range all {
		t := c.configuredTask(tr.Task)
		if t == nil && defs == nil {
			if defs, err = st.Definitions(ctx); err != nil {
				return nil, err
			}
		}
		rows = append(rows, summarize(tr.TaskRuntime, t, defs, tr.Busy, tr.LastRun))
	}
	return rows, nil
}

// configuredTask is the task as the server's catalog has it, or nil.
func (c *Console) configuredTask(name string) *config.Task {
	cat := c.cfg.Engine.Catalog()
	if cat == nil || cat.Config() == nil {
		return nil
	}
	return cat.Config().Tasks[name]
}

func summarize(rt state.TaskRuntime, t *config.Task, defs map[string]*state.Definition, busy state.RunState, last *state.Run) TaskSummary {
	row := TaskSummary{Name: rt.Task, Status: status(rt.State, busy), Types: []string{}}
	if t != nil {
		row.Description, row.Owner, row.Schedule = t.Description, t.Owner, scheduleText(t)
		for _, a := range t.Activities {
			row.Types = append(row.Types, a.Type)
		}
	} else if d := defs[config.KindTask+"."+rt.Task]; d != nil {
		row.Description, row.Owner = specString(d.Spec, "description"), specString(d.Spec, "owner")
		row.Schedule = "—"
	}
	if !rt.NextFireAt.IsZero() && rt.State == state.TaskActive {
		next := rt.NextFireAt
		if t != nil && t.Schedule != nil && t.Schedule.Location != nil {
			next = next.In(t.Schedule.Location)
		}
		row.NextRun = &next
	}
	if last != nil {
		b := brief(*last)
		row.LastRun = &b
	}
	if rt.State != state.TaskActive {
		row.Suspension = &Suspension{By: rt.By, Reason: rt.Reason, Since: rt.Since}
	}
	return row
}

func status(s state.TaskState, busy state.RunState) string {
	switch {
	case s == state.TaskClosed:
		return StatusClosed
	case busy == state.RunRunning:
		return StatusRunning
	case s == state.TaskSuspended:
		return StatusSuspended
	case busy == state.RunQueued:
		return StatusQueued
	}
	return StatusIdle
}

// scheduleText says when a task runs: its cron or interval, "after" its
// predecessors, or "manual".
func scheduleText(t *config.Task) string {
	var parts []string
	if s := t.Schedule; s != nil {
		switch {
		case s.Cron != "":
			zone := s.Timezone
			if zone == "" {
				zone = "UTC"
			}
			parts = append(parts, "cron "+s.Cron+" ("+zone+")")
		case s.Every > 0:
			parts = append(parts, "every "+shortDuration(s.Every))
		}
		if s.Name != "" {
			parts[len(parts)-1] += " [schedule." + s.Name + "]"
		}
	}
	if len(t.After) > 0 {
		names := make([]string, len(t.After))
		for i, a := range t.After {
			names[i] = a.Name
		}
		parts = append(parts, "after "+strings.Join(names, ", "))
	}
	if len(parts) == 0 {
		return "manual"
	}
	return strings.Join(parts, "; ")
}

// specString is a canonical spec's string attribute, unquoted.
func specString(spec map[string]string, key string) string {
	v, ok := spec[key]
	if !ok {
		return ""
	}
	if s, err := strconv.Unquote(v); err == nil {
		return s
	}
	return v
}

// shortDuration is d as the configuration would write it: "1h", "1h30m",
// "90s", not Go's "1h0m0s".
func shortDuration(d time.Duration) string {
	out := d.String()
	if strings.HasSuffix(out, "m0s") {
		out = strings.TrimSuffix(out, "0s")
	}
	if strings.HasSuffix(out, "h0m") {
		out = strings.TrimSuffix(out, "0m")
	}
	return out
}
