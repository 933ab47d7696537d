package planner

import (
	"fmt"
	"slices"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// Drift is a difference between the running system and the configuration
// that an apply does not change: a person acted at run time.
type Drift struct {
	Address string `json:"address"`
	Message string `json:"message"`
}

// runtimeDrift reports tasks that the configuration enables but that are
// suspended at run time.
func runtimeDrift(desired map[string]*state.Definition, runtime []state.TaskRuntime) []Drift {
	var out []Drift
	for _, rt := range runtime {
		addr := config.KindTask + "." + rt.Task
		d, ok := desired[addr]
		if !ok || rt.State != state.TaskSuspended || d.Spec["enabled"] != "true" {
			continue
		}
		msg := fmt.Sprintf("suspended at run time by %s since %s", orUnknown(rt.By), rt.Since.UTC().Format("2006-01-02 15:04 UTC"))
		if rt.Reason != "" {
			msg += fmt.Sprintf(" (%q)", rt.Reason)
		}
		msg += ", while the configuration says enabled = true. It does not run until someone runs: syncline tasks resume " + rt.Task
		out = append(out, Drift{Address: addr, Message: msg})
	}
	slices.SortFunc(out, func(a, b Drift) int {
		if a.Address < b.Address {
			return -1
		}
		if a.Address > b.Address {
			return 1
		}
		return 0
	})
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "someone"
	}
	return s
}
