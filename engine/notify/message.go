package notify

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// Message is what a notification says: the task, the run and its results.
// Its JSON form is the webhook's body (schema "syncline.notification/1",
// documented in docs/tasks.md).
type Message struct {
	Schema     string           `json:"schema"`
	Key        string           `json:"key"`
	Event      string           `json:"event"`
	Task       TaskInfo         `json:"task"`
	Run        RunInfo          `json:"run"`
	Statistics map[string]int64 `json:"statistics"`
	Changed    Changed          `json:"changed"`
	Changes    []Change         `json:"changes"`
	// ChangesTotal counts every change the run recorded; Changes holds
	// the first of them.
	ChangesTotal int         `json:"changes_total"`
	Errors       []ItemError `json:"errors"`
	ErrorsTotal  int         `json:"errors_total"`
	// Reports are the files the run's report activities wrote, by name;
	// an e-mail attaches them.
	Reports []string `json:"reports"`
}

// TaskInfo is the task as applied.
type TaskInfo struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Owner       string   `json:"owner"`
	Activities  []string `json:"activities"` // the activity types, in order
	State       string   `json:"state"`      // active, suspended, closed
	// StateSince is when the task took that state: when it was first
	// applied, for a task never suspended.
	StateSince string `json:"state_since,omitempty"`
}

// RunInfo is the run the notification is about.
type RunInfo struct {
	ID              int64   `json:"id"`
	Outcome         string  `json:"outcome"`
	Trigger         string  `json:"trigger"`
	TriggeredBy     string  `json:"triggered_by"`
	Mode            string  `json:"mode"`
	Revision        string  `json:"revision"`
	Started         string  `json:"started,omitempty"`
	Finished        string  `json:"finished,omitempty"`
	DurationSeconds float64 `json:"duration_seconds"`
	Error           string  `json:"error"`
	URL             string  `json:"url,omitempty"`
}

// Changed counts the users and accounts the run changed.
type Changed struct {
	Users    int64 `json:"users"`
	Accounts int64 `json:"accounts"`
}

// Change is one change the run made to a user or an account.
type Change struct {
	Object     string `json:"object"` // user or account
	Op         string `json:"op"`
	User       string `json:"user,omitempty"`
	Resource   string `json:"resource,omitempty"`
	Identifier string `json:"identifier,omitempty"`
	Error      string `json:"error,omitempty"`
}

// ItemError is one of the run's object errors.
type ItemError struct {
	Activity string `json:"activity"`
	Item     string `json:"item"`
	Category string `json:"category"`
	Message  string `json:"message"`
}

// Message limits.
const (
	maxChanges  = 50
	maxErrors   = 10
	maxErrorLen = 500
)

// buildMessage gathers what notification n says.
func buildMessage(ctx context.Context, st *state.Store, cfg *config.Config, n state.Notification) (*Message, error) {
	run, err := st.RunGet(ctx, n.RunID)
	if err != nil {
		return nil, err
	}
	m := &Message{Schema: "syncline.notification/1", Key: n.Key, Event: "run.finished",
		Task:       TaskInfo{Name: n.Task},
		Statistics: map[string]int64{}, Changes: []Change{}, Errors: []ItemError{}, Reports: []string{}}
	if t := cfg.Tasks[n.Task]; t != nil {
		m.Task.Description, m.Task.Owner = t.Description, t.Owner
		for _, a := range t.Activities {
			m.Task.Activities = append(m.Task.Activities, a.Type)
		}
	}
	if rt, err := st.TaskRuntime(ctx, n.Task); err == nil && rt != nil {
		m.Task.State = string(rt.State)
		if !rt.Since.IsZero() {
			m.Task.StateSince = rt.Since.UTC().Format(time.RFC3339)
		}
	}
	m.Run = RunInfo{ID: run.ID, Outcome: string(n.Outcome), Trigger: string(run.Trigger), TriggeredBy: run.TriggeredBy,
		Mode: string(run.Mode), Revision: run.Revision, Error: clip(run.Error)}
	if !run.StartedAt.IsZero() {
		m.Run.Started = run.StartedAt.UTC().Format(time.RFC3339)
	}
	if !run.FinishedAt.IsZero() {
		m.Run.Finished = run.FinishedAt.UTC().Format(time.RFC3339)
		if !run.StartedAt.IsZero() {
			m.Run.DurationSeconds = run.FinishedAt.Sub(run.StartedAt).Round(time.Millisecond).Seconds()
		}
	}
	if u := cfg.Settings.PublicURL; u != "" {
		m.Run.URL = fmt.Sprintf("%s/runs/%d", strings.TrimRight(u, "/"), run.ID)
	}
	for _, a := range run.Activities {
		for name, v := range a.Statistics {
			m.Statistics[name] += v
			switch {
			case strings.HasPrefix(name, "users."):
				m.Changed.Users += v
			case strings.HasPrefix(name, "accounts.") && name != "accounts.failed":
				m.Changed.Accounts += v
			}
		}
		for _, e := range a.Errors {
			m.ErrorsTotal++
			if len(m.Errors) < maxErrors {
				m.Errors = append(m.Errors, ItemError{Activity: a.Name, Item: e.Item, Category: e.Category, Message: clip(e.Message)})
			}
		}
		if p := a.Output[ReportOutput]; p != "" && a.State != state.RunFailed {
			m.Reports = append(m.Reports, filepath.Base(p))
		}
		if a.Failure > int64(len(a.Errors)) {
			m.ErrorsTotal += int(a.Failure) - len(a.Errors) // errors beyond those kept
		}
	}
	changes, total, err := st.RunChanges(ctx, run.ID, 0, maxChanges)
	if err != nil {
		return nil, err
	}
	m.ChangesTotal = total
	for _, c := range changes {
		m.Changes = append(m.Changes, Change{Object: c.Object, Op: c.Op, User: c.User, Resource: c.Resource,
			Identifier: c.Identifier, Error: clip(c.Error)})
	}
	return m, nil
}

// clip shortens s to maxErrorLen runes.
func clip(s string) string {
	r := []rune(s)
	if len(r) <= maxErrorLen {
		return s
	}
	return string(r[:maxErrorLen]) + "…"
}

// statisticNames returns m's statistics names, sorted.
func (m *Message) statisticNames() []string {
	names := make([]string, 0, len(m.Statistics))
	for name := range m.Statistics {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// subject fills a subject template.
func (m *Message) subject(template string) string {
	if template == "" {
		template = config.DefaultNotifySubject
	}
	r := strings.NewReplacer("{task}", m.Task.Name, "{outcome}", m.Run.Outcome, "{run}", fmt.Sprint(m.Run.ID),
		"{mode}", m.Run.Mode, "{trigger}", m.Run.Trigger, "\r", " ", "\n", " ")
	return r.Replace(template)
}
