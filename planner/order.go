package planner

import (
	"slices"
	"strings"

	"github.com/syncline/syncline/config"
)

// kindOrder is the order in which plans list kinds.
var kindOrder = map[string]int{config.KindResource: 0, config.KindSchedule: 1, config.KindTask: 2}

// sortChanges orders changes by kind (resource, schedule, task, then any
// other kind), then name.
func sortChanges(changes []Change) {
	slices.SortFunc(changes, func(a, b Change) int {
		if c := kindRank(a.Kind) - kindRank(b.Kind); c != 0 {
			return c
		}
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
}

func kindRank(kind string) int {
	if r, ok := kindOrder[kind]; ok {
		return r
	}
	return len(kindOrder)
}
