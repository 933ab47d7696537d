package console

import (
	"net/http"
	"strings"
)

func (c *Console) apiTasks(r *http.Request) (int, any, error) {
	tq, err := tasksQuery(r, defaultAPITasks, true)
	if err != nil {
		return 0, nil, err
	}
	page, err := c.tasksPage(r.Context(), tq)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, rawJSON(appendTasksPage(make([]byte, 0, 512*(len(page.Tasks)+1)), page)), nil
}

func (c *Console) apiTask(r *http.Request) (int, any, error) {
	d, err := c.taskDetail(r.Context(), taskParam(r))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, d, nil
}

// triggerRequest is the body of POST /api/v1/tasks/NAME/trigger.
type triggerRequest struct {
	Mode string `json:"mode"` // full, preview or dry_run; "": the task's own
}

func (c *Console) apiTrigger(r *http.Request) (int, any, error) {
	var req triggerRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	run, err := c.trigger(r.Context(), taskParam(r), req.Mode, who(r))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, map[string]any{"run": brief(*run)}, nil
}

// suspendRequest is the body of POST /api/v1/tasks/NAME/suspend.
type suspendRequest struct {
	Reason string `json:"reason"`
}

func (c *Console) apiSuspend(r *http.Request) (int, any, error) {
	var req suspendRequest
	if err := decodeBody(r, &req); err != nil {
		return 0, nil, err
	}
	if err := c.suspend(r.Context(), taskParam(r), req.Reason, who(r)); err != nil {
		return 0, nil, err
	}
	return c.apiTask(r)
}

func (c *Console) apiResume(r *http.Request) (int, any, error) {
	if err := decodeBody(r, &struct{}{}); err != nil {
		return 0, nil, err
	}
	if err := c.resume(r.Context(), taskParam(r), who(r)); err != nil {
		return 0, nil, err
	}
	return c.apiTask(r)
}

// taskParam is the task named in the path, as NAME or task.NAME.
func taskParam(r *http.Request) string {
	return strings.TrimPrefix(r.PathValue("name"), "task.")
}

// filterTasks keeps the rows of status (any when "") whose name,
// description, owner or types contain q (case-insensitive).
func filterTasks(rows []TaskSummary, status, q string) []TaskSummary {
	if status == "" && q == "" {
		return rows
	}
	q = strings.ToLower(q)
	out := rows[:0:0]
	for _, t := range rows {
		if status != "" && !strings.EqualFold(t.Status, status) {
			continue
		}
		text := strings.ToLower(t.Name + " " + t.Description + " " + t.Owner + " " + strings.Join(t.Types, " "))
		if q != "" && !strings.Contains(text, q) {
			continue
		}
		out = append(out, t)
	}
	return out
}
