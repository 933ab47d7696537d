package report

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
)

// Activity writes the report its settings describe: the rows of its
// source the filter selects, in its format, to its output inside the
// configuration directory. In preview and dry_run it writes nothing and
// records what it would write.
type Activity struct{}

// job is one run of the activity.
type job struct {
	ac       *activity.Context
	settings *config.ReportSettings
	seen     int64 // objects (for a summary: runs) read so far
}

// sources build each source's table.
var sources = map[string]func(context.Context, *job) (*table, error){
	"users":      usersTable,
	"shadows":    shadowsTable,
	"situations": situationsTable,
	"summary":    summaryTable,
}

// Run builds the table, renders it and writes it.
func (Activity) Run(ctx context.Context, ac *activity.Context) error {
	j, build, err := newJob(ac)
	if err != nil {
		return err
	}
	ac.SetTotal(-1)
	t, err := build(ctx, j)
	if err != nil {
		return err
	}
	ac.SetTotal(j.seen)
	body, err := render(j.settings.Format, j.describe(), t)
	if err != nil {
		return err
	}
	path := j.outputPath()
	ac.SetOutput("format", j.settings.Format)
	ac.SetOutput("rows", strconv.Itoa(len(t.rows)))
	ac.AddStatistic("rows", int64(len(t.rows)))
	if ac.Mode != config.ModeFull {
		ac.SetOutput("would_write", fmt.Sprintf("would write %d rows (%d bytes) to %s", len(t.rows), len(body), path))
		return nil
	}
	if err := writeAtomic(ac.Dir, j.settings.Output, body); err != nil {
		return err
	}
	ac.SetOutput("report", path)
	return nil
}

// newJob checks the settings again (the configuration was checked at
// validate time; the run must not trust a stored one blindly) and picks
// the source.
func newJob(ac *activity.Context) (*job, func(context.Context, *job) (*table, error), error) {
	r := ac.Activity.Report
	if r == nil {
		return nil, nil, errors.New("the report activity has no settings")
	}
	build, ok := sources[r.Source]
	if !ok {
		return nil, nil, fmt.Errorf("the report source %q is not one of %v", r.Source, config.ReportSources)
	}
	if _, ok := formats[r.Format]; !ok {
		return nil, nil, fmt.Errorf("the report format %q is not one of %v", r.Format, config.ReportFormats)
	}
	if p := config.ReportOutputProblem(r.Output); p != "" {
		return nil, nil, fmt.Errorf("report output refused: %s", p)
	}
	j := &job{ac: ac, settings: r}
	if r.Source == "shadows" || r.Source == "situations" {
		if ac.Activity.Resource == nil || j.resource() == nil {
			return nil, nil, fmt.Errorf("a report of %s needs a declared resource", r.Source)
		}
		if err := checkWriteOnlyColumns(j.resource(), r.Columns); err != nil {
			return nil, nil, err
		}
	}
	return j, build, nil
}

// outputPath is where the report goes, absolute when the configuration
// directory's absolute path is known.
func (j *job) outputPath() string {
	p := filepath.Join(j.ac.Dir, filepath.Clean(j.settings.Output))
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// describe is what a format may say about the report besides its rows.
func (j *job) describe() header {
	h := header{Task: j.ac.Task.Name, Activity: j.ac.Activity.Name, Source: j.settings.Source,
		Generated: j.ac.Clock.Now().UTC()}
	if j.settings.Source == "summary" {
		h.Since = j.settings.Since
	}
	if r := j.ac.Activity.Resource; r != nil && j.settings.Source != "users" {
		h.Object = fmt.Sprintf("resource.%s %s/%s", r.Name, j.ac.Activity.Kind, j.ac.Activity.Intent)
	}
	return h
}

// header describes a report: the JSON and HTML formats show it.
type header struct {
	Task, Activity, Source, Object string
	Generated                      time.Time
	Since                          time.Duration
}

// selected counts one object and reports whether the filter keeps it: a
// filter error is the object's error, and the object is left out.
func (j *job) selected(item string, keep func() (bool, error)) bool {
	j.seen++
	ok, err := keep()
	switch {
	case err != nil:
		j.ac.AddItemError(item, "mapping", err)
	case !ok:
		j.ac.AddSkipped(1)
	default:
		j.ac.AddSuccess(1)
	}
	return err == nil && ok
}

// count counts one item read without a filter.
func (j *job) count(string) {
	j.seen++
	j.ac.AddSuccess(1)
}

// formatTime writes a time as RFC 3339 in UTC, or "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
