package console

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTasksAPIPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	waitFor(t, "the scheduler's first tick", func() bool {
		var page TasksPage
		b.do(t, "GET", "/api/v1/tasks?q=nightly", viewerSecret, "").json(t, &page)
		return len(page.Tasks) == 1 && page.Tasks[0].NextRun != nil
	})
	tests := []struct {
		query                string
		names                []string
		offset, limit, total int
	}{
		{"", []string{"hr-import", "nightly"}, 0, defaultAPITasks, 2},
		{"?limit=1", []string{"hr-import"}, 0, 1, 2},
		{"?limit=1&offset=1", []string{"nightly"}, 1, 1, 2},
		{"?limit=1&offset=5", []string{}, 5, 1, 2},
		{"?limit=all", []string{"hr-import", "nightly"}, 0, 0, 2},
		{"?sort=next_run&limit=1", []string{"nightly"}, 0, 1, 2}, // the only one with a next run
		{"?status=idle&q=HR", []string{"hr-import"}, 0, defaultAPITasks, 1},
	}
	for _, tc := range tests {
		res := b.do(t, "GET", "/api/v1/tasks"+tc.query, viewerSecret, "")
		expect(t, tc.query, res, http.StatusOK)
		var page TasksPage
		res.json(t, &page)
		names := []string{}
		for _, task := range page.Tasks {
			names = append(names, task.Name)
		}
		if !slices.Equal(names, tc.names) || page.Offset != tc.offset || page.Limit != tc.limit || page.Total != tc.total {
			t.Errorf("%s: %v offset %d limit %d total %d, want %v %d %d %d", tc.query, names, page.Offset, page.Limit, page.Total,
				tc.names, tc.offset, tc.limit, tc.total)
		}
	}
	for _, query := range []string{"?limit=0", "?limit=501", "?limit=x", "?offset=-1", "?status=Busy", "?sort=owner"} {
		res := b.do(t, "GET", "/api/v1/tasks"+query, viewerSecret, "")
		expect(t, query, res, http.StatusBadRequest)
		if res.errorCode(t) != "bad_request" {
			t.Errorf("%s: %s", query, res.body)
		}
	}
}

func TestTasksGridPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	br.login(viewerSecret)
	first := br.get("/?limit=1&q=")
	expect(t, "first page", first, http.StatusOK)
	for _, want := range []string{"Tasks 1–1 of 2", `href="/tasks/hr-import"`, `rel="next"`, `href="/?limit=1&amp;offset=1&amp;q="`} {
		if !strings.Contains(first.body, want) {
			t.Errorf("the first page lacks %q:\n%s", want, first.body)
		}
	}
	if strings.Contains(first.body, `href="/tasks/nightly"`) || strings.Contains(first.body, `rel="prev"`) {
		t.Error("the first page of one task shows the second, or a previous page")
	}
	second := br.get("/?limit=1&offset=1")
	for _, want := range []string{"Tasks 2–2 of 2", `href="/tasks/nightly"`, `rel="prev"`} {
		if !strings.Contains(second.body, want) {
			t.Errorf("the second page lacks %q", want)
		}
	}
	if strings.Contains(second.body, `rel="next"`) {
		t.Error("the last page links to a next one")
	}
	expect(t, "a page size the grid does not take", br.get("/?limit=all"), http.StatusBadRequest)
	if odd := br.get("/?limit=7"); !strings.Contains(odd.body, `<option value="7" selected>`) {
		t.Errorf("a page size from the address is not chosen in the form:\n%s", odd.body)
	}
}

func TestSortTasks(t *testing.T) {
	t.Parallel()
	at := func(h int) *time.Time { v := time.Date(2025, 3, 28, h, 0, 0, 0, time.UTC); return &v }
	run := func(h int) *RunBrief { return &RunBrief{FinishedAt: *at(h)} }
	rows := []TaskSummary{
		{Name: "a", Status: StatusRunning, NextRun: at(5), LastRun: run(1)},
		{Name: "b", Status: StatusIdle},
		{Name: "c", Status: StatusIdle, NextRun: at(3), LastRun: run(9)},
		{Name: "d", Status: StatusQueued, NextRun: at(3), LastRun: run(10)},
	}
	tests := map[string]string{
		"":         "a b c d",
		"name":     "a b c d",
		"status":   "b c d a",
		"next_run": "c d a b", // soonest first, none last, ties by name
		"last_run": "d c a b", // newest first, none last
	}
	for by, want := range tests {
		got := slices.Clone(rows)
		sortTasks(got, by)
		names := make([]string, len(got))
		for i, r := range got {
			names[i] = r.Name
		}
		if strings.Join(names, " ") != want {
			t.Errorf("sort %q: %v, want %s", by, names, want)
		}
	}
}

func TestShortDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{time.Hour: "1h", 90 * time.Minute: "1h30m", 90 * time.Second: "1m30s",
		2 * time.Minute: "2m", 45 * time.Second: "45s", 25*time.Hour + time.Second: "25h0m1s"} {
		if got := shortDuration(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
