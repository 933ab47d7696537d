package console

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Paging of the tasks grid and of GET /api/v1/tasks.
const (
	// defaultGridPage is the grid's page size; gridPageSizes are the
	// sizes its form offers (any from 1 to maxPage is accepted).
	defaultGridPage = 50
	// defaultAPITasks is GET /api/v1/tasks' page size without limit=;
	// limit=all returns every task in one answer.
	defaultAPITasks = 100
)

var (
	gridPageSizes = []int{25, 50, 100, 200}
	taskStatuses  = []string{StatusIdle, StatusQueued, StatusRunning, StatusSuspended, StatusClosed}
	taskSorts     = []string{"name", "status", "next_run", "last_run"}
)

// TasksQuery selects and orders a page of tasks: ?status=&q=&sort=
// &offset=&limit=.
type TasksQuery struct {
	Status string // one of taskStatuses (any case), "" for all
	Q      string // a case-insensitive substring of name, description, owner or types
	Sort   string // one of taskSorts; "" is name
	Offset int
	Limit  int // 0: all
}

// TasksPage is GET /api/v1/tasks: one page of the tasks the query
// selects, and how many it selects in all.
type TasksPage struct {
	Tasks  []TaskSummary `json:"tasks"`
	Offset int           `json:"offset"`
	Limit  int           `json:"limit"` // 0: all
	Total  int           `json:"total"`
}

// tasksQuery reads the query of r; defaultLimit is the page size when r
// names none. limit=all (API only, allAllowed) asks for every task.
func tasksQuery(r *http.Request, defaultLimit int, allAllowed bool) (TasksQuery, error) {
	q := r.URL.Query()
	tq := TasksQuery{Status: q.Get("status"), Q: q.Get("q"), Sort: q.Get("sort"), Limit: defaultLimit}
	if tq.Status != "" {
		i := slices.IndexFunc(taskStatuses, func(s string) bool { return strings.EqualFold(s, tq.Status) })
		if i < 0 {
			return tq, badRequest("status must be one of " + strings.Join(taskStatuses, ", "))
		}
		tq.Status = taskStatuses[i]
	}
	if tq.Sort != "" && !slices.Contains(taskSorts, tq.Sort) {
		return tq, badRequest("sort must be one of " + strings.Join(taskSorts, ", "))
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return tq, badRequest("offset must be a whole number, 0 or more")
		}
		tq.Offset = n
	}
	switch s := q.Get("limit"); {
	case s == "":
	case s == "all" && allAllowed:
		tq.Limit = 0
	default:
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPage {
			msg := "limit must be a whole number from 1 to " + strconv.Itoa(maxPage)
			if allAllowed {
				msg += ", or all"
			}
			return tq, badRequest(msg)
		}
		tq.Limit = n
	}
	return tq, nil
}

// tasksPage reads every task, then filters, sorts and pages them; a page
// in name order without a filter reads only its own tasks.
func (c *Console) tasksPage(ctx context.Context, tq TasksQuery) (*TasksPage, error) {
	if tq.Status == "" && tq.Q == "" && (tq.Sort == "" || tq.Sort == "name") && tq.Limit > 0 {
		some, total, err := c.cfg.Store.TaskRowsPage(ctx, tq.Offset, tq.Limit)
		if err != nil {
			return nil, err
		}
		rows, err := c.summaries(ctx, some)
		if err != nil {
			return nil, err
		}
		return &TasksPage{Tasks: rows, Offset: tq.Offset, Limit: tq.Limit, Total: total}, nil
	}
	rows, err := c.taskRows(ctx)
	if err != nil {
		return nil, err
	}
	rows = filterTasks(rows, tq.Status, tq.Q)
	sortTasks(rows, tq.Sort)
	page := &TasksPage{Offset: tq.Offset, Limit: tq.Limit, Total: len(rows)}
	from := min(tq.Offset, len(rows))
	to := len(rows)
	if tq.Limit > 0 {
		to = min(from+tq.Limit, len(rows))
	}
	page.Tasks = rows[from:to:to]
	return page, nil
}

// sortTasks orders rows by name, status, next run (soonest first, none
// last) or last run (newest first, none last); ties by name. The keys
// are computed once per row, not per comparison.
func sortTasks(rows []TaskSummary, by string) {
	if by == "" || by == "name" {
		return // taskRows are sorted by name
	}
	type keyed struct {
		key string
		row TaskSummary
	}
	ks := make([]keyed, len(rows))
	for i, t := range rows {
		k := ""
		switch by {
		case "status":
			k = t.Status
		case "next_run":
			k = "~" // after every time
			if t.NextRun != nil {
				k = t.NextRun.UTC().Format(sortLayout)
			}
		case "last_run":
			k = "~"
			if t.LastRun != nil {
				// newest first: the complement of each digit sorts in
				// reverse
				k = invertDigits(t.LastRun.When().UTC().Format(sortLayout))
			}
		}
		ks[i] = keyed{k, t}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.row.Name, b.row.Name)
	})
	for i := range ks {
		rows[i] = ks[i].row
	}
}

// sortLayout is a time as text that sorts as the time does.
const sortLayout = "20060102150405.000000000"

// invertDigits maps every digit d to 9-d, so that the text sorts in
// reverse order of the time it renders.
func invertDigits(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = '9' - (c - '0')
		}
	}
	return string(b)
}

// pageLinks are the grid's links around a page: the previous and next
// pages (or "") and the text of where the page is.
type pageLinks struct {
	Prev, Next, First, Last string
	From, To, Total         int
	Sizes                   []int
	Size                    int
}

// tasksPageLinks builds the grid's paging links, keeping r's filters and
// sort.
func tasksPageLinks(r *http.Request, page *TasksPage) pageLinks {
	link := func(offset int) string {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(offset))
		q.Set("limit", strconv.Itoa(page.Limit))
		return "/?" + q.Encode()
	}
	l := pageLinks{Total: page.Total, Sizes: gridPageSizes, Size: page.Limit}
	if !slices.Contains(l.Sizes, page.Limit) { // a size from the address stays chosen
		l.Sizes = append(slices.Clone(gridPageSizes), page.Limit)
		slices.Sort(l.Sizes)
	}
	if page.Total > 0 {
		l.From, l.To = min(page.Offset+1, page.Total), min(page.Offset+len(page.Tasks), page.Total)
	}
	if page.Offset > 0 {
		l.Prev, l.First = link(max(page.Offset-page.Limit, 0)), link(0)
	}
	if page.Offset+page.Limit < page.Total {
		l.Next = link(page.Offset + page.Limit)
		l.Last = link((page.Total - 1) / page.Limit * page.Limit)
	}
	return l
}
