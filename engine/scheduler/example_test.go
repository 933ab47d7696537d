package scheduler_test

import (
	"fmt"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/state"
)

// A nightly task whose server was down over the weekend when clocks went
// forward: the scheduler's pure core says what to record, as data.
func ExampleDecide() {
	nightly, _ := config.NewSchedule("0 2 * * *", "Europe/Prague", 0)
	nightly.Misfire = config.MisfireRunOnce
	task := &config.Task{Name: "hr-import", Priority: 50, Enabled: true, Mode: config.ModeFull,
		Concurrency: config.ConcurrencyForbid, Schedule: nightly}
	status := scheduler.TaskStatus{
		Task: task,
		Runtime: state.TaskRuntime{Task: "hr-import", State: state.TaskActive,
			NextFireAt: time.Date(2025, 3, 29, 1, 0, 0, 0, time.UTC), ScheduleKey: scheduler.ScheduleKey(task)},
	}
	now := time.Date(2025, 3, 31, 9, 0, 0, 0, time.UTC) // Monday morning
	decisions, wake := scheduler.Decide(now, []scheduler.TaskStatus{status}, scheduler.Policy{})
	for _, d := range decisions {
		fmt.Println(d.Kind, d.Task, "next", d.NewNext.In(nightly.Location).Format(time.RFC3339))
		for _, r := range d.Runs {
			fmt.Println(r.State, r.TriggeredBy, r.Note)
		}
	}
	fmt.Println("wake", wake.In(nightly.Location).Format(time.RFC3339))
	// Output:
	// fire hr-import next 2025-04-01T02:00:00+02:00
	// queued 2025-03-31T02:00:00+02:00 catch-up: missed 2 fire times from 2025-03-29T02:00:00+01:00 to 2025-03-31T02:00:00+02:00 (misfire = run_once)
	// wake 2025-04-01T02:00:00+02:00
}
