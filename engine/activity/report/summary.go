package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// The summary's sections, in the order they are written.
const (
	sectionPeriod   = "period"
	sectionUsers    = "users"
	sectionAccounts = "accounts"
	// sectionMemberships is written for the resources whose group
	// memberships changed in the period (associations).
	sectionMemberships = "memberships"
	sectionDisputed    = "disputed"
	sectionErrors      = "errors"
	sectionFailedRuns  = "failed_runs"
	sectionNotes       = "notes"
)

// The operations a summary counts, in the order they are written.
var (
	summaryUserOps     = []string{"add", "disable", "delete"}
	summaryAccountOps  = []string{"create", "modify", "disable", "delete"}
	summaryUserItems   = map[string]string{"add": "added", "disable": "disabled", "delete": "deleted"}
	summaryAcctItems   = map[string]string{"create": "created", "modify": "modified", "disable": "disabled", "delete": "deleted"}
	summaryMemberItems = map[string]string{"add": "added", "remove": "removed"}
)

// summary is what a period's runs and the state's troubles add up to.
type summary struct {
	from, to    time.Time
	users       map[string]int            // by op
	accounts    map[string]map[string]int // by resource, then op
	memberships map[string]map[string]int // by resource, then op (add, remove)
	errors      []map[string]string
	errorIndex  map[string]int // "item\x00detail" → index in errors
	failedRuns  []map[string]string
	notRecorded int64
}

// summaryTable is the summary of the period Since before now: the changes
// the full-mode runs that finished in it made, their item errors, the
// runs that failed, and the shadows disputed or failing now.
func summaryTable(ctx context.Context, j *job) (*table, error) {
	to := j.ac.Clock.Now().UTC()
	s := &summary{from: to.Add(-j.settings.Since), to: to, users: map[string]int{},
		accounts: map[string]map[string]int{}, memberships: map[string]map[string]int{}, errorIndex: map[string]int{}}
	for _, name := range config.SortedNames(j.ac.Config.Resources) {
		s.accounts[name] = map[string]int{}
	}
	runs, err := j.ac.Store.RunsFinishedSince(ctx, s.from)
	if err != nil {
		return nil, err
	}
	for i := range runs {
		if runs[i].ID == j.ac.RunID {
			continue
		}
		if err := s.addRun(ctx, j.ac.Store, &runs[i]); err != nil {
			return nil, err
		}
		j.count(fmt.Sprintf("run %d", runs[i].ID))
	}
	trouble, err := j.ac.Store.ShadowsInTrouble(ctx)
	if err != nil {
		return nil, err
	}
	t := s.table(trouble)
	t.columns = selectColumns(j.settings.Columns, config.ReportColumns["summary"])
	return t, nil
}

// addRun adds what run did: its changes (full mode only: a preview's are
// would-be changes), its item errors and, when it failed, the run itself.
func (s *summary) addRun(ctx context.Context, st *state.Store, run *state.Run) error {
	if run.Mode == string(config.ModeFull) {
		changes, _, err := st.RunChanges(ctx, run.ID, 0, 0)
		if err != nil {
			return err
		}
		for _, c := range changes {
			s.addChange(run, c)
		}
	}
	for _, a := range run.Activities {
		s.notRecorded += a.Statistics["changes.not_recorded"]
		for _, e := range a.Errors {
			s.addError("", e.Item, fmt.Sprintf("task %s, activity %s: %s", run.Task, a.Name, e.Message))
		}
	}
	if run.State == state.RunFailed || run.State == state.RunInterrupted {
		s.failedRuns = append(s.failedRuns, map[string]string{
			"section": sectionFailedRuns, "item": fmt.Sprintf("run %d", run.ID), "count": "1",
			"detail": fmt.Sprintf("task %s %s at %s: %s", run.Task, run.State, formatTime(run.FinishedAt), run.Error),
		})
	}
	return nil
}

func (s *summary) addChange(run *state.Run, c state.RunChange) {
	if c.Error != "" {
		s.addError(c.Resource, c.Identifier, fmt.Sprintf("task %s: %s %s failed: %s", run.Task, c.Op, c.Object, c.Error))
		return
	}
	if c.Object == "user" {
		s.users[c.Op]++
		return
	}
	if c.Object == "membership" {
		if c.Op == "add" || c.Op == "remove" {
			if s.memberships[c.Resource] == nil {
				s.memberships[c.Resource] = map[string]int{}
			}
			s.memberships[c.Resource][c.Op]++
		}
		return
	}
	if s.accounts[c.Resource] == nil {
		s.accounts[c.Resource] = map[string]int{}
	}
	s.accounts[c.Resource][c.Op]++
}

// addError counts one error; the same error of the same item in several
// runs is one row whose count says how many times.
func (s *summary) addError(resource, item, detail string) {
	key := resource + "\x00" + item + "\x00" + detail
	if i, ok := s.errorIndex[key]; ok {
		n, _ := strconv.Atoi(s.errors[i]["count"])
		s.errors[i]["count"] = strconv.Itoa(n + 1)
		return
	}
	s.errorIndex[key] = len(s.errors)
	s.errors = append(s.errors, map[string]string{"section": sectionErrors, "resource": resource, "item": item, "count": "1", "detail": detail})
}

// table writes the summary's rows, section by section.
func (s *summary) table(trouble []*state.Shadow) *table {
	t := &table{numeric: map[string]bool{"count": true}}
	add := func(row map[string]string) { t.rows = append(t.rows, row) }
	add(map[string]string{"section": sectionPeriod, "item": "from " + formatTime(s.from) + " to " + formatTime(s.to),
		"detail": "changes and errors of the runs that finished in the period; disputed objects and pending errors as they are now"})
	for _, op := range summaryUserOps {
		add(map[string]string{"section": sectionUsers, "item": summaryUserItems[op], "count": strconv.Itoa(s.users[op])})
	}
	resources := make([]string, 0, len(s.accounts))
	for r := range s.accounts {
		resources = append(resources, r)
	}
	slices.Sort(resources)
	for _, r := range resources {
		for _, op := range summaryAccountOps {
			add(map[string]string{"section": sectionAccounts, "resource": r, "item": summaryAcctItems[op], "count": strconv.Itoa(s.accounts[r][op])})
		}
	}
	for _, r := range config.SortedNames(s.memberships) {
		for _, op := range []string{"add", "remove"} {
			add(map[string]string{"section": sectionMemberships, "resource": r, "item": summaryMemberItems[op],
				"count": strconv.Itoa(s.memberships[r][op])})
		}
	}
	for _, sh := range trouble {
		s.addTrouble(sh, add)
	}
	t.rows = append(t.rows, s.errors...)
	t.rows = append(t.rows, s.failedRuns...)
	if s.notRecorded > 0 {
		add(map[string]string{"section": sectionNotes, "item": "changes not recorded", "count": strconv.FormatInt(s.notRecorded, 10),
			"detail": "runs recorded only their first changes; the counts above are lower bounds"})
	}
	return t
}

// addTrouble adds a disputed shadow, or the last error of its failing
// pending operation (to the errors rows, which follow).
func (s *summary) addTrouble(sh *state.Shadow, add func(map[string]string)) {
	if sh.Situation == string(config.SituationDisputed) {
		add(map[string]string{"section": sectionDisputed, "resource": sh.Resource, "item": sh.Identifier, "count": "1",
			"detail": fmt.Sprintf("%s/%s: several users match; link it by hand or refine the correlation", sh.Kind, sh.Intent)})
	}
	for _, op := range sh.Pending {
		if op.LastError != "" {
			s.addError(sh.Resource, sh.Identifier, fmt.Sprintf("pending %s, %d attempts: %s", op.Op, op.Attempts, op.LastError))
		}
	}
}
