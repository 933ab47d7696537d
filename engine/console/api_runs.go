package console

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/syncline/syncline/state"
)

// Paging of lists.
const (
	defaultPage = 50
	maxPage     = 500
)

var (
	runStates = []state.RunState{state.RunQueued, state.RunRunning, state.RunSucceeded, state.RunPartial,
		state.RunFailed, state.RunCancelled, state.RunInterrupted, state.RunSkipped}
	triggers = []state.Trigger{state.TriggerSchedule, state.TriggerManual, state.TriggerAfter, state.TriggerRetry, state.TriggerRecovery}
)

// RunsPage is GET /api/v1/runs.
type RunsPage struct {
	Runs   []RunBrief `json:"runs"`
	Offset int        `json:"offset"`
	Limit  int        `json:"limit"`
	Total  int        `json:"total"`
}

func (c *Console) apiRuns(r *http.Request) (int, any, error) {
	f, err := runFilter(r)
	if err != nil {
		return 0, nil, err
	}
	page, err := c.runsPage(r, f)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (c *Console) runsPage(r *http.Request, f state.RunPageFilter) (*RunsPage, error) {
	runs, total, err := c.cfg.Store.RunPage(r.Context(), f)
	if err != nil {
		return nil, err
	}
	page := &RunsPage{Runs: make([]RunBrief, len(runs)), Offset: f.Offset, Limit: f.Limit, Total: total}
	for i, run := range runs {
		page.Runs[i] = brief(run)
	}
	return page, nil
}

// runFilter reads ?task=&state=a,b&trigger=&offset=&limit=.
func runFilter(r *http.Request) (state.RunPageFilter, error) {
	q := r.URL.Query()
	f := state.RunPageFilter{Task: strings.TrimPrefix(q.Get("task"), "task."), Trigger: state.Trigger(q.Get("trigger"))}
	if f.Trigger != "" && !slices.Contains(triggers, f.Trigger) {
		return f, badRequest("trigger must be one of schedule, manual, after, retry, recovery")
	}
	if s := q.Get("state"); s != "" {
		for _, name := range strings.Split(s, ",") {
			if !slices.Contains(runStates, state.RunState(name)) {
				return f, badRequest("unknown run state " + strconv.Quote(name) + "; the states are queued, running, succeeded, partial, failed, cancelled, interrupted, skipped")
			}
			f.State = append(f.State, state.RunState(name))
		}
	}
	var err error
	if f.Offset, f.Limit, err = paging(r); err != nil {
		return f, err
	}
	return f, nil
}

// paging reads ?offset=&limit= (default 50, at most 500).
func paging(r *http.Request) (offset, limit int, err error) {
	q := r.URL.Query()
	offset, limit = 0, defaultPage
	if s := q.Get("offset"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			return 0, 0, badRequest("offset must be a whole number, 0 or more")
		}
	}
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > maxPage {
			return 0, 0, badRequest("limit must be a whole number from 1 to " + strconv.Itoa(maxPage))
		}
	}
	return offset, limit, nil
}

// RunDetail is GET /api/v1/runs/ID: the run with its activities (their
// statistics and item errors) and its notifications.
type RunDetail struct {
	RunBrief
	Attempt       int                    `json:"attempt"`
	RetryOf       int64                  `json:"retry_of,omitempty"`
	ScheduledAt   string                 `json:"scheduled_at"`
	ClaimedBy     string                 `json:"claimed_by,omitempty"`
	Note          string                 `json:"note,omitempty"`
	Cancel        bool                   `json:"cancel_requested,omitempty"`
	Activities    []state.ActivityResult `json:"activities"`
	Notifications []Notification         `json:"notifications"`
	Final         bool                   `json:"final"`
	// Progress is how far the run got while it runs; absent otherwise.
	Progress *Progress `json:"progress,omitempty"`
}

// Notification is one notification of a run and how its delivery went.
type Notification struct {
	Block    int                         `json:"block"`
	State    string                      `json:"state"`
	Outcome  string                      `json:"outcome"`
	Attempts []state.NotificationAttempt `json:"attempts"`
}

func (c *Console) runDetail(r *http.Request) (*RunDetail, error) {
	id, err := runParam(r)
	if err != nil {
		return nil, err
	}
	run, err := c.cfg.Store.RunGet(r.Context(), id)
	if err != nil {
		return nil, err
	}
	notes, err := c.cfg.Store.RunNotifications(r.Context(), id)
	if err != nil {
		return nil, err
	}
	d := &RunDetail{RunBrief: brief(*run), Attempt: run.Attempt, RetryOf: run.RetryOf, ScheduledAt: run.ScheduledAt.UTC().Format("2006-01-02T15:04:05Z07:00"),
		ClaimedBy: run.ClaimedBy, Note: run.Note, Cancel: run.CancelRequested, Activities: run.Activities,
		Notifications: []Notification{}, Final: run.State.Final(), Progress: progressOf(run, c.cfg.Clock.Now())}
	if d.Activities == nil {
		d.Activities = []state.ActivityResult{}
	}
	for _, n := range notes {
		d.Notifications = append(d.Notifications, Notification{Block: n.Block, State: string(n.State), Outcome: string(n.Outcome), Attempts: n.Attempts})
	}
	return d, nil
}

func (c *Console) apiRun(r *http.Request) (int, any, error) {
	d, err := c.runDetail(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, d, nil
}

func (c *Console) apiRunChanges(r *http.Request) (int, any, error) {
	id, err := runParam(r)
	if err != nil {
		return 0, nil, err
	}
	if _, err := c.cfg.Store.RunGet(r.Context(), id); err != nil {
		return 0, nil, err
	}
	offset, limit, err := paging(r)
	if err != nil {
		return 0, nil, err
	}
	page, err := c.changesPage(r.Context(), id, offset, limit)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (c *Console) apiCancel(r *http.Request) (int, any, error) {
	id, err := runParam(r)
	if err != nil {
		return 0, nil, err
	}
	if err := decodeBody(r, &struct{}{}); err != nil {
		return 0, nil, err
	}
	run, err := c.cancel(r.Context(), id, who(r))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"run": brief(*run)}, nil
}

// runParam is the run ID in the path; not a number is a 404.
func runParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, notFound("there is no run " + strconv.Quote(r.PathValue("id")) + ": run IDs are positive numbers")
	}
	return id, nil
}
