package console

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/syncline/syncline/state"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// staticHandler serves the embedded CSS and script; they hold nothing
// secret, so the login page can use them.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}

// ui renders the console's pages: server-side HTML, readable without
// JavaScript; console.js only refreshes live parts.
type ui struct {
	c     *Console
	pages map[string]*template.Template
}

func newUI(c *Console) (*ui, error) {
	funcs := template.FuncMap{
		"time":     formatTime,
		"join":     strings.Join,
		"keys":     sortedKeys,
		"lower":    strings.ToLower,
		"add":      func(a, b int) int { return a + b },
		"notifyKV": notifyEntries,
		"plan":     func(a Apply) *SyncPlan { return planOf(&a) },
	}
	u := &ui{c: c, pages: map[string]*template.Template{}}
	for _, page := range []string{"login", "tasks", "task", "runs", "run", "applies", "sync", "resources", "error"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/"+page+".html")
		if err != nil {
			return nil, err
		}
		u.pages[page] = t
	}
	return u, nil
}

// routes registers the pages; every one needs a login.
func (u *ui) routes(mux *http.ServeMux) {
	c := u.c
	mux.Handle("GET /{$}", c.require(false, http.HandlerFunc(u.tasks)))
	mux.Handle("GET /tasks/{name}", c.require(false, http.HandlerFunc(u.task)))
	mux.Handle("POST /tasks/{name}/{action}", c.require(true, http.HandlerFunc(u.taskAction)))
	mux.Handle("GET /runs", c.require(false, http.HandlerFunc(u.runs)))
	mux.Handle("GET /runs/{id}", c.require(false, http.HandlerFunc(u.run)))
	mux.Handle("POST /runs/{id}/cancel", c.require(true, http.HandlerFunc(u.cancelRun)))
	mux.Handle("GET /applies", c.require(false, http.HandlerFunc(u.applies)))
	mux.Handle("GET /sync", c.require(false, http.HandlerFunc(u.sync)))
	mux.Handle("GET /resources", c.require(false, http.HandlerFunc(u.resources)))
	mux.Handle("POST /resources/{name}/test", c.require(true, http.HandlerFunc(u.testResource)))
	mux.Handle("/", c.require(false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.errorPage(w, r, notFound("There is no page "+r.URL.Path+"."))
	})))
}

// view is what every page template gets.
type view struct {
	Title    string
	Who      principal
	CSRF     string
	Operator bool
	Nav      string
	Flash    string
	Data     any
}

func (u *ui) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	v := view{Title: title, Who: who(r), Operator: who(r).canOperate(), Nav: page, Data: data, Flash: r.URL.Query().Get("done")}
	if s := sessionOf(r); s != nil {
		v.CSRF = s.csrf
	}
	var buf bytes.Buffer
	if err := u.pages[page].Execute(&buf, v); err != nil {
		u.c.cfg.Logger.Error("rendering a console page failed", "page", page, "error", err.Error())
		http.Error(w, "the page could not be rendered; the server's log says why", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (u *ui) errorPage(w http.ResponseWriter, r *http.Request, e *apiError) {
	u.render(w, r, e.Status, "error", http.StatusText(e.Status), e)
}

// fail shows err as a page: the errors the API names, else a 500.
func (u *ui) fail(w http.ResponseWriter, r *http.Request, err error) {
	if e := errorFor(err); e != nil {
		u.errorPage(w, r, e)
		return
	}
	u.c.cfg.Logger.Error("console request failed", "method", r.Method, "path", r.URL.Path, "error", err.Error())
	u.errorPage(w, r, &apiError{Status: http.StatusInternalServerError, Message: "The request failed; the server's log says why."})
}

// tasksView is one page of the grid with its filter, sort and paging.
type tasksView struct {
	*TasksPage
	Status   string
	Query    string
	Sort     string
	Statuses []string
	Sorts    []string
	Pages    pageLinks
}

func (u *ui) tasks(w http.ResponseWriter, r *http.Request) {
	tq, err := tasksQuery(r, defaultGridPage, false)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page, err := u.c.tasksPage(r.Context(), tq)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	v := tasksView{TasksPage: page, Status: tq.Status, Query: tq.Q, Sort: tq.Sort, Statuses: taskStatuses, Sorts: taskSorts,
		Pages: tasksPageLinks(r, page)}
	u.render(w, r, http.StatusOK, "tasks", "Tasks", v)
}

func (u *ui) task(w http.ResponseWriter, r *http.Request) {
	d, err := u.c.taskDetail(r.Context(), taskParam(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "task", "Task "+d.Name, d)
}

// taskAction runs a task form: trigger (with a mode), suspend, resume.
func (u *ui) taskAction(w http.ResponseWriter, r *http.Request) {
	name, ctx, p := taskParam(r), r.Context(), who(r)
	var err error
	done := ""
	switch r.PathValue("action") {
	case "trigger":
		var run *state.Run
		if run, err = u.c.trigger(ctx, name, r.PostFormValue("mode"), p); err == nil {
			http.Redirect(w, r, "/runs/"+strconv.FormatInt(run.ID, 10)+"?done="+url.QueryEscape("Run "+strconv.FormatInt(run.ID, 10)+" queued."), http.StatusSeeOther)
			return
		}
	case "suspend":
		err, done = u.c.suspend(ctx, name, r.PostFormValue("reason"), p), "Task suspended."
	case "resume":
		err, done = u.c.resume(ctx, name, p), "Task resumed."
	default:
		err = notFound("There is no task action " + r.PathValue("action") + ".")
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tasks/"+url.PathEscape(name)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}

// runsView is the History page.
type runsView struct {
	*RunsPage
	Task, State, Trigger string
	Prev, Next           string // links to the neighbouring pages, or ""
}

func (u *ui) runs(w http.ResponseWriter, r *http.Request) {
	f, err := runFilter(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page, err := u.c.runsPage(r, f)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	v := runsView{RunsPage: page, Task: f.Task, State: r.URL.Query().Get("state"), Trigger: string(f.Trigger)}
	link := func(offset int) string {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(offset))
		return "/runs?" + q.Encode()
	}
	if f.Offset > 0 {
		v.Prev = link(max(f.Offset-f.Limit, 0))
	}
	if f.Offset+f.Limit < page.Total {
		v.Next = link(f.Offset + f.Limit)
	}
	u.render(w, r, http.StatusOK, "runs", "History", v)
}

// runView is a run's page with one page of its changes.
type runView struct {
	*RunDetail
	Changes    *ChangesPage
	Prev, Next string
}

func (u *ui) run(w http.ResponseWriter, r *http.Request) {
	d, err := u.c.runDetail(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	offset, limit, err := paging(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	ch, err := u.c.changesPage(r.Context(), d.ID, offset, limit)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	v := runView{RunDetail: d, Changes: ch}
	base := "/runs/" + strconv.FormatInt(d.ID, 10)
	if offset > 0 {
		v.Prev = base + "?offset=" + strconv.Itoa(max(offset-limit, 0))
	}
	if offset+limit < ch.Total {
		v.Next = base + "?offset=" + strconv.Itoa(offset+limit)
	}
	u.render(w, r, http.StatusOK, "run", "Run "+strconv.FormatInt(d.ID, 10), v)
}

func (u *ui) cancelRun(w http.ResponseWriter, r *http.Request) {
	id, err := runParam(r)
	if err == nil {
		_, err = u.c.cancel(r.Context(), id, who(r))
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/runs/"+strconv.FormatInt(id, 10)+"?done="+url.QueryEscape("Cancel requested."), http.StatusSeeOther)
}

func (u *ui) applies(w http.ResponseWriter, r *http.Request) {
	out, err := u.c.applies(r, 100)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "applies", "Applies", out)
}

func (u *ui) sync(w http.ResponseWriter, r *http.Request) {
	s, err := u.c.syncStatus(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "sync", "Sync", s)
}

func formatTime(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return "—"
		}
		return v.Format("2006-01-02 15:04:05 MST")
	case *time.Time:
		if v == nil {
			return "—"
		}
		return formatTime(*v)
	}
	return ""
}

// notifyEntries are the notify[…] attributes of a definition.
func notifyEntries(spec map[string]string) [][2]string {
	var out [][2]string
	for _, k := range sortedKeys(spec) {
		if strings.HasPrefix(k, "notify[") {
			out = append(out, [2]string{k, spec[k]})
		}
	}
	return out
}
