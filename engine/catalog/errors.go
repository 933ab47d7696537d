package catalog

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Sentinel causes of a TaskError; match them with errors.Is.
var (
	// ErrUnknownTask: no task of that name is configured or applied.
	ErrUnknownTask = errors.New("unknown task")
	// ErrNotRunnable: the task exists but may not run now — not applied,
	// changed since it was applied, closed, suspended or disabled.
	ErrNotRunnable = errors.New("task cannot run")
)

// TaskError says why a task cannot be run or found. Detail is a whole
// sentence about the task; Hint, when set, says what to do.
type TaskError struct {
	Task   string
	Err    error // one of the sentinels above, or runner.ErrTaskBusy
	Detail string
	Hint   string
}

func (e *TaskError) Error() string {
	if e.Hint == "" {
		return e.Detail
	}
	return e.Detail + "; " + e.Hint
}

func (e *TaskError) Unwrap() error { return e.Err }

const applyHint = "run syncline plan / apply"

// ConfigError says the configuration directory did not load; Diagnostics
// hold every problem with its source range, for a view to print.
type ConfigError struct {
	Dir         string
	Diagnostics hcl.Diagnostics
}

func (e *ConfigError) Error() string {
	var msgs []string
	for _, d := range e.Diagnostics {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Subject != nil {
			msg = fmt.Sprintf("%s: %s", d.Subject, d.Summary)
		}
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		msgs = append(msgs, msg)
	}
	return fmt.Sprintf("the configuration in %s does not load: %s", e.Dir, strings.Join(msgs, "; "))
}
