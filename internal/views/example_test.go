package views_test

import (
	"fmt"
	"os"
	"testing/fstest"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// The text view of a plan, as plan and apply show it. A plan is computed
// in three steps: load the configuration, turn it into
// canonical definitions, and diff those against the stored snapshot. Here
// the state already holds the schedule at 02:00 and the configuration moves
// it to 03:00 — the weekend Prague changes to summer time.
func ExampleRenderText() {
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
	_ = views.RenderText(os.Stdout, plan, views.TextOptions{})
	// Output:
	// Syncline compared the configuration with the stored definitions. Actions are
	// shown with these symbols:
	//   ~ update in place
	//
	// Syncline will perform the following actions:
	//
	//   # schedule.nightly will be updated in place
	//   ~ schedule "nightly" {
	//       ~ cron = "0 2 * * *" -> "0 3 * * *"
	//         # (4 unchanged attributes hidden)
	//
	//         # Next runs (Europe/Prague):
	//         #   before: Sat 2026-03-28 02:00 +01:00, Mon 2026-03-30 02:00 +02:00, Tue 2026-03-31 02:00 +02:00
	//         #   after:  Sat 2026-03-28 03:00 +01:00, Sun 2026-03-29 03:00 +02:00, Mon 2026-03-30 03:00 +02:00
	//     }
	//
	// Plan: 0 to add, 1 to change, 0 to remove.
}
