package main

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/internal/scenario"
)

// phase is one timed step of the benchmark.
type phase struct {
	name  string // the -phase value and the profiles' suffix
	title string // as the report prints it
	task  string // the task whose only activity the phase runs
	// fresh phases start from an empty store; the others go on with the
	// store the previous phase left.
	fresh bool
	// variant phases run on the export a day later: 1% changed, 1% gone.
	variant bool
	// target is the database a provisioning phase writes every active
	// user's account to (targetSQLite, targetPostgres), with a
	// configuration and a store of its own; "" for the phases that
	// provision nothing.
	target string
	// postgresState phases keep their store in PostgreSQL (-state-postgres)
	// instead of a file; they run only when it is given.
	postgresState bool
	sync          func(context.Context, *synchronization.Job) error
	// expect returns statistics that must have exactly these values.
	expect func(h scenario.HR) map[string]int64
}

var phases = []phase{
	{
		name: "import", title: "import into a fresh store", task: scenario.SyncImportTask,
		fresh: true, sync: synchronization.Import,
		expect: func(h scenario.HR) map[string]int64 {
			n := int64(h.Rows)
			return map[string]int64{"situation.unmatched": n, "users.add": n}
		},
	},
	{
		name: "noop", title: "no-op reconciliation", task: scenario.SyncReconcileTask,
		sync: synchronization.Reconcile,
		expect: func(h scenario.HR) map[string]int64 {
			return map[string]int64{"unchanged": int64(h.Rows)}
		},
	},
	{
		name: "changes", title: "reconciliation, 1% changed, 1% deleted", task: scenario.SyncReconcileTask,
		variant: true, sync: synchronization.Reconcile,
		expect: func(h scenario.HR) map[string]int64 {
			c, d := int64(h.Changed()), int64(h.Deleted())
			return map[string]int64{
				"unchanged":         int64(h.Rows) - c - d,
				"users.modify":      c,
				"situation.deleted": d,
				"users.disable":     d,
			}
		},
	},
	{
		name: "import-pgstate", title: "import into a fresh PostgreSQL state", task: scenario.SyncImportTask,
		fresh: true, postgresState: true, sync: synchronization.Import,
		expect: func(h scenario.HR) map[string]int64 {
			n := int64(h.Rows)
			return map[string]int64{"situation.unmatched": n, "users.add": n}
		},
	},
	{
		name: "provision", title: "import with provisioning to SQLite", task: scenario.SyncImportTask,
		fresh: true, target: targetSQLite, sync: synchronization.Import, expect: expectProvision,
	},
	{
		name: "provision-postgres", title: "import with provisioning to PostgreSQL", task: scenario.SyncImportTask,
		fresh: true, target: targetPostgres, sync: synchronization.Import, expect: expectProvision,
	},
}

// expectProvision: an import into a fresh store that creates an account
// for every active user.
func expectProvision(h scenario.HR) map[string]int64 {
	n := int64(h.Rows)
	return map[string]int64{"situation.unmatched": n, "users.add": n, "accounts.create": int64(h.Active())}
}

func phaseNamed(name string) (phase, bool) {
	for _, ph := range phases {
		if ph.name == name {
			return ph, true
		}
	}
	return phase{}, false
}

// phaseResult is what a child process reports on its standard output.
type phaseResult struct {
	Phase   string  `json:"phase"`
	Seconds float64 `json:"seconds"`
	// Objects is every object the phase accounted for: succeeded, failed
	// or skipped.
	Objects int64 `json:"objects"`
	Success int64 `json:"success"`
	Failure int64 `json:"failure"`
	Skipped int64 `json:"skipped"`
	// PeakRSSBytes is the process's peak resident set size; 0 where the
	// system does not tell.
	PeakRSSBytes int64 `json:"peak_rss_bytes,omitempty"`
	// CPUSeconds is the child process's user and system time, set by the
	// parent: on a busy machine, the work the phase did whatever it waited.
	CPUSeconds float64          `json:"cpu_seconds"`
	Statistics map[string]int64 `json:"statistics"`
	// Accounts is how many account rows a provisioning phase or a
	// baseline left in its table; Check compares them with the export.
	Accounts   int64         `json:"accounts,omitempty"`
	Check      *accountCheck `json:"account_check,omitempty"`
	ItemErrors []string      `json:"item_errors,omitempty"` // the first few
	Error      string        `json:"error,omitempty"`       // the phase itself failed
}

func newPhaseResult(name string, rec *recorder, elapsed time.Duration) *phaseResult {
	r := &phaseResult{
		Phase:      name,
		Seconds:    elapsed.Seconds(),
		Success:    rec.success.Load(),
		Failure:    rec.failure.Load(),
		Skipped:    rec.skipped.Load(),
		Statistics: rec.statistics(),
		ItemErrors: rec.itemErrors(),
	}
	r.Objects = r.Success + r.Failure + r.Skipped
	if rss, ok := peakRSS(); ok {
		r.PeakRSSBytes = rss
	}
	return r
}

// phaseNames are the names -only takes, in the order phases run.
func phaseNames() []string {
	names := make([]string, 0, len(phases))
	for _, ph := range phases {
		names = append(names, ph.name)
	}
	return names
}

// parseOnly reads -only: the set of phases it names (nil for "", every
// phase) and the names it holds that are no phase's.
func parseOnly(list string) (only map[string]bool, unknown []string) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	known := phaseNames()
	only = map[string]bool{}
	for name := range strings.SplitSeq(list, ",") {
		name = strings.TrimSpace(name)
		if group, ok := phaseGroups[name]; ok {
			for _, n := range group {
				only[n] = true
			}
			continue
		}
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
			continue
		}
		only[name] = true
	}
	return only, unknown
}

// phaseGroups are names -only takes for several phases: "sync", the
// import and reconciliations, and "provision", which is also the name of
// the SQLite provisioning phase, both provisioning phases (the PostgreSQL
// one runs only with -postgres anyway).
var phaseGroups = map[string][]string{
	"sync":      {"import", "noop", "changes", "import-pgstate"},
	"provision": {"provision", "provision-postgres"},
}

// wantsSync says whether -only lets any phase run that the sqlite3
// baseline is measured for (the import and reconciliations).
func (o *options) wantsSync() bool {
	return slices.ContainsFunc(phaseGroups["sync"], o.wanted)
}

// wanted says whether -only lets phase name run.
func (o *options) wanted(name string) bool { return o.only == nil || o.only[name] }
