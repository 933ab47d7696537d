package planner

import (
	"sort"

	"github.com/syncline/syncline/config"
)

// activitySpec writes an activity's type and every attribute its type's
// schema allows, defaults included; settings of exec, report and
// async_update live under exec.*, report.* and async_update.*.
func activitySpec(w specWriter, a *config.Activity) {
	w.str("type", a.Type)
	schema := config.ActivitySchemas[a.Type]
	if schema == nil {
		return
	}
	for _, at := range schema.Attributes {
		activityAttribute(w, a, at.Name)
	}
	if t := a.Thresholds; t != nil {
		tw := w.at("thresholds")
		tw.int("max_deletions", t.MaxDeletions)
		tw.int("max_disables", t.MaxDisables)
		tw.int("max_creations", t.MaxCreations)
		if t.MaxMembershipRemovals > 0 { // only when set: older states see no change
			tw.int("max_membership_removals", t.MaxMembershipRemovals)
		}
	}
	if e := a.Errors; e != nil {
		w.str("errors.action", e.Action)
		w.int("errors.stop_after", e.StopAfter)
	}
}

// activityAttribute writes one schema attribute of an activity.
func activityAttribute(w specWriter, a *config.Activity, name string) {
	switch name {
	case "name":
		w.str(name, a.Name)
	case "resource":
		w.ref(name, a.Resource)
	case "kind":
		w.str(name, a.Kind)
	case "intent":
		w.str(name, a.Intent)
	case "filter":
		w.expr(name, a.Filter)
	case "threads":
		if a.Type == config.ActivityAsyncUpdate && a.Threads == 1 {
			return // written only when set: async_update had no threads before, and its specs see no change
		}
		w.int(name, a.Threads)
	case "max_items":
		w.int(name, a.MaxItems)
	case "buckets":
		if a.Buckets > 0 { // written only when set: specs applied before it existed see no change
			w.int(name, a.Buckets)
		}
	case "batch_size":
		w.int(name, a.BatchSize)
	case "skip":
		w.strings(name, a.Skip)
	case "start":
		if a.Start != "" { // written only when set: specs applied before it existed see no change
			w.str(name, a.Start)
		}
	default:
		typeSettingSpec(w, a, name)
	}
}

// typeSettingSpec writes the settings only one activity type has.
func typeSettingSpec(w specWriter, a *config.Activity, name string) {
	switch {
	case a.Exec != nil:
		execSpec(w.at("exec"), a.Exec, name)
	case a.Report != nil:
		reportSpec(w.at("report"), a.Report, name)
	case a.AsyncUpdate != nil:
		asyncUpdateSpec(w.at("async_update"), a.AsyncUpdate, name)
	}
}

func execSpec(w specWriter, e *config.ExecSettings, name string) {
	switch name {
	case "command":
		w.str(name, e.Command)
	case "args":
		w.strings(name, e.Args)
	case "working_dir":
		w.str(name, e.WorkingDir)
	case "timeout":
		w.duration(name, e.Timeout)
	case "env":
		keys := make([]string, 0, len(e.Env))
		for k := range e.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			w.value("env["+Quote(k)+"]", e.Env[k], false)
		}
	}
}

func reportSpec(w specWriter, r *config.ReportSettings, name string) {
	switch name {
	case "source":
		w.str(name, r.Source)
	case "columns":
		w.strings(name, r.Columns)
	case "format":
		w.str(name, r.Format)
	case "output":
		w.str(name, r.Output)
	case "since":
		// Only a summary covers a period; other sources leave the key
		// out, so that their specs stay as they were before it existed.
		if r.Source == "summary" {
			w.duration(name, r.Since)
		}
	}
}

func asyncUpdateSpec(w specWriter, u *config.AsyncUpdateSettings, name string) {
	switch name {
	case "url":
		w.value(name, u.URL, true)
	case "queue":
		w.str(name, u.Queue)
	case "prefetch":
		w.int(name, u.Prefetch)
	case "max_messages":
		w.int(name, u.MaxMessages)
	case "idle_timeout":
		w.duration(name, u.IdleTimeout)
	// Written only when set: specs applied before they existed see no change.
	case "message_format", "dead_letter_queue":
		if v := map[string]string{"message_format": u.MessageFormat, "dead_letter_queue": u.DeadLetterQueue}[name]; v != "" {
			w.str(name, v)
		}
	case "max_message_size":
		if u.MaxMessageSize > 0 {
			w.int(name, u.MaxMessageSize)
		}
	}
}
