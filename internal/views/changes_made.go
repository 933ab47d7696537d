package views

import (
	"fmt"
	"strings"

	"github.com/syncline/syncline/state"
)

// fullOutcome says what a full synchronization run did, keeping apart
// what it changed itself, what it carried out from the queue of
// operations earlier runs decided, and what it left queued:
//
//	changed users 2 added; queued 2 account creates (resource unreachable)
//	carried out 2 queued creates
//	changed users 1 added; queued 1 account operation (grouping_interval)
//
// It is "" when the run did nothing of the kind.
func fullOutcome(run *state.Run) string {
	stats, fromQueue := map[string]int64{}, map[string]int64{}
	addStatistics(stats, run)
	for _, act := range run.Activities {
		for k, v := range queueStatistics(act) {
			fromQueue[k] += v
			stats[k] -= v
		}
	}
	failed := stats["accounts.failed"] + fromQueue["accounts.failed"]
	pending := stats["operations.pending"] + fromQueue["operations.pending"]
	return joinNonEmpty("; ",
		prefixed("changed ", joinNonEmpty("; ",
			prefixed("users ", changeWords(stats, "users.", userVerbs)),
			prefixed("accounts ", changeWords(stats, "accounts.", accountVerbs)),
			prefixed("memberships ", membershipWords(stats)))),
		prefixed("carried out ", queuedWords(fromQueue)),
		countWords(stats["operations.queued"], "queued %d account %s (grouping_interval)", "operation"),
		pendingWords(run, pending),
		countWords(failed-pending, "%d account %s failed", "operation"),
		countWords(stats["memberships.failed"], "%d membership %s failed", "change"),
		countWords(stats["operations.expired"]+fromQueue["operations.expired"], "gave up %d queued %s (pending_retention)", "operation"))
}

// queueStatistics are the account statistics of an activity's work on
// the queue: a propagation's, and a reconciliation's operation_completion
// stage.
func queueStatistics(act state.ActivityResult) map[string]int64 {
	out := map[string]int64{}
	keep := func(stats map[string]int64) {
		for k, v := range stats {
			if strings.HasPrefix(k, "accounts.") || strings.HasPrefix(k, "operations.") {
				out[k] += v
			}
		}
	}
	if act.Type == "propagation" {
		keep(act.Statistics)
	}
	for _, st := range act.Stages {
		if st.Name == "operation_completion" {
			keep(st.Statistics)
		}
	}
	return out
}

// queueNouns name the operations carried out from the queue, by the
// statistic that counts them.
var queueNouns = [][2]string{{"create", "create"}, {"modify", "update"}, {"rename", "rename"}, {"disable", "disable"}, {"delete", "delete"}}

// queuedWords is "2 queued creates, 1 queued delete".
func queuedWords(stats map[string]int64) string {
	var parts []string
	for _, n := range queueNouns {
		if c := stats["accounts."+n[0]]; c > 0 {
			parts = append(parts, fmt.Sprintf("%d queued %s", c, plural(int(c), n[1])))
		}
	}
	return strings.Join(parts, ", ")
}

// pendingWords says which operations failed and stay queued, and why
// when they all failed for one reason the run's errors show: "queued 3
// account creates (resource unreachable)".
func pendingWords(run *state.Run, pending int64) string {
	if pending <= 0 {
		return ""
	}
	kinds, unreachable, seen := map[string]int64{}, int64(0), int64(0)
	for _, act := range run.Activities {
		for _, e := range act.Errors {
			op, rest, ok := strings.Cut(e.Message, ": ")
			if e.Category != "resource" || !ok || !isOperation(op) {
				continue
			}
			kinds[op]++
			seen++
			if strings.Contains(rest, "unreachable") {
				unreachable++
			}
		}
	}
	what := plural(int(pending), "operation")
	if seen == pending && len(kinds) == 1 {
		for op := range kinds {
			what = plural(int(pending), op)
		}
	}
	why := "failed; retried later"
	if seen == pending && unreachable == seen {
		why = "resource unreachable"
	}
	return fmt.Sprintf("queued %d account %s (%s)", pending, what, why)
}

func isOperation(op string) bool {
	switch op {
	case state.OpCreate, state.OpUpdate, state.OpRename, state.OpDisable, state.OpDelete:
		return true
	}
	return false
}

// countWords formats n into format with noun made plural, or is "" when
// n is not positive.
func countWords(n int64, format, noun string) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(format, n, plural(int(n), noun))
}
