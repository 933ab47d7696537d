package console

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// TaskDetail is GET /api/v1/tasks/NAME and the task page: the task as
// applied, where it was written, its runtime and recent runs.
type TaskDetail struct {
	TaskSummary
	State string `json:"state"` // active, suspended or closed
	// Definition is the canonical spec as applied: attribute path →
	// rendering. Sensitive values read "(sensitive)"; a notification
	// webhook shows only its scheme and host.
	Definition map[string]string `json:"definition"`
	SourceFile string            `json:"source_file,omitempty"`
	SourceLine int               `json:"source_line,omitempty"`
	Revision   string            `json:"revision,omitempty"`
	AppliedAt  time.Time         `json:"applied_at,omitzero"`
	// LastChanges are the first changes of the last run, with their total.
	LastChanges *ChangesPage `json:"last_changes,omitempty"`
	RecentRuns  []RunBrief   `json:"recent_runs"`
}

// ChangesPage is one page of a run's changes.
type ChangesPage struct {
	RunID   int64             `json:"run_id"`
	Offset  int               `json:"offset"`
	Limit   int               `json:"limit"`
	Total   int               `json:"total"`
	Changes []state.RunChange `json:"changes"`
}

// taskDetail reads task name; an unknown task is a 404.
func (c *Console) taskDetail(ctx context.Context, name string) (*TaskDetail, error) {
	st := c.cfg.Store
	rt, err := st.TaskRuntime(ctx, name)
	if err != nil {
		return nil, err
	}
	defs, err := st.Definitions(ctx)
	if err != nil {
		return nil, err
	}
	active, err := st.RunListActive(ctx, name)
	if err != nil {
		return nil, err
	}
	var busy state.RunState
	for _, r := range active {
		if busy != state.RunRunning {
			busy = r.State
		}
	}
	recent, err := st.RunList(ctx, state.RunFilter{Task: name, Limit: 10})
	if err != nil {
		return nil, err
	}
	var last *state.Run
	for i, r := range recent {
		if !r.StartedAt.IsZero() {
			last = &recent[i]
			break
		}
	}
	d := &TaskDetail{TaskSummary: summarize(*rt, c.configuredTask(name), defs, busy, last), State: string(rt.State),
		Definition: map[string]string{}, RecentRuns: []RunBrief{}}
	if def := defs[config.KindTask+"."+name]; def != nil {
		d.Definition = redactSpec(def.Spec)
		d.SourceFile, d.SourceLine, d.Revision, d.AppliedAt = def.SourceFile, def.SourceLine, def.Revision, def.UpdatedAt
	}
	for _, r := range recent {
		d.RecentRuns = append(d.RecentRuns, brief(r))
	}
	if d.LastRun != nil {
		if d.LastChanges, err = c.changesPage(ctx, d.LastRun.ID, 0, 20); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (c *Console) changesPage(ctx context.Context, run int64, offset, limit int) (*ChangesPage, error) {
	changes, total, err := c.cfg.Store.RunChanges(ctx, run, offset, limit)
	if err != nil {
		return nil, err
	}
	if changes == nil {
		changes = []state.RunChange{}
	}
	return &ChangesPage{RunID: run, Offset: offset, Limit: limit, Total: total, Changes: changes}, nil
}

// redactSpec is spec as the console shows it: no fingerprint of a
// sensitive value, and no path or query of a notification webhook, where
// receivers often put their token.
func redactSpec(spec map[string]string) map[string]string {
	out := make(map[string]string, len(spec))
	for k, v := range spec {
		switch {
		case strings.HasPrefix(v, "(sensitive"):
			v = "(sensitive)"
		case strings.HasPrefix(k, "notify[") && strings.HasSuffix(k, ".webhook"):
			v = redactURL(v)
		}
		out[k] = v
	}
	return out
}

func redactURL(quoted string) string {
	u, err := url.Parse(strings.Trim(quoted, `"`))
	if err != nil || u.Host == "" {
		return "(not shown)"
	}
	return `"` + u.Scheme + "://" + u.Host + `/…"`
}

// SortedKeys are m's keys in order, for templates.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
