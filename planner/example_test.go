package planner_test

import (
	"fmt"
	"testing/fstest"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// A plan is computed in three steps: load the configuration, turn it into
// canonical definitions, and diff those against the stored snapshot. Here
// the state already holds the schedule at 02:00 and the configuration moves
// it to 03:00 — the weekend Prague changes to summer time. The plan is
// plain data; internal/views renders it for people, RenderJSON for
// machines.
func Example() {
	load := func(cron string) *config.Config {
		src := fmt.Sprintf("schedule \"nightly\" {\n  cron     = %q\n  timezone = \"Europe/Prague\"\n}\n", cron)
		cfg, diags := config.LoadFS(fstest.MapFS{"main.hcl": {Data: []byte(src)}}, "cfg", config.LoadOptions{})
		if diags.HasErrors() {
			panic(diags.Error())
		}
		return cfg
	}
	key := state.EphemeralKey() // a store's own key: snapshot.Key
	stored, _ := planner.Desired(load("0 2 * * *"), "", key)
	desired, _ := planner.Desired(load("0 3 * * *"), "", key)

	snapshot := &state.Snapshot{Lineage: "example", Serial: 1, Definitions: stored}
	plan, err := planner.Compute(desired, snapshot, planner.Options{Now: time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		panic(err)
	}
	for _, c := range plan.Changes {
		fmt.Println(c.Action, c.Address)
		for _, a := range c.Attributes {
			fmt.Printf("  %s: %s -> %s\n", a.Path, a.Before, a.After)
		}
		fmt.Println("  second run after:", c.NextRuns.After[1].Format("Mon 2006-01-02 15:04 -07:00"), c.NextRuns.Timezone)
	}
	fmt.Printf("%+v\n", plan.Summary)
	// Output:
	// update schedule.nightly
	//   cron: "0 2 * * *" -> "0 3 * * *"
	//   second run after: Sun 2026-03-29 03:00 +02:00 Europe/Prague
	// {Add:0 Change:1 Remove:0 Move:0}
}
