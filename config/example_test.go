package config_test

import (
	"fmt"
	"testing/fstest"
	"time"

	"github.com/syncline/syncline/config"
)

// Load a configuration and look at what it defines.
func ExampleLoadFS() {
	files := fstest.MapFS{"main.hcl": {Data: []byte(`
schedule "nightly" {
  cron     = "0 2 * * *"
  timezone = "Europe/Prague"
}

task "hr-import" {
  schedule = schedule.nightly
  activity "exec" {
    command = "echo"
    args    = ["importing"]
  }
}
`)}}
	cfg, diags := config.LoadFS(files, "iam", config.LoadOptions{})
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	task := cfg.Tasks["hr-import"]
	fmt.Println(task.Address(), "runs", task.Schedule.Describe())
	fmt.Println("next:", task.Schedule.Next(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)).Format(time.RFC3339))
	// Output:
	// task.hr-import runs cron "0 2 * * *" in Europe/Prague
	// next: 2026-03-02T02:00:00+01:00
}

// Diagnostics point at the file and line, and say what to do.
func ExampleLoadFS_diagnostics() {
	files := fstest.MapFS{"main.hcl": {Data: []byte(`
task "report" {
  mode = "preveiw"
  activity "exec" {
    command = "true"
  }
}
`)}}
	_, diags := config.LoadFS(files, "iam", config.LoadOptions{})
	for _, d := range diags {
		fmt.Printf("%s: %s\n%s\n", d.Subject, d.Summary, d.Detail)
	}
	// Output:
	// iam/main.hcl:3,10-19: Invalid value
	// The argument "mode" must be one of "full", "preview" or "dry_run"; "preveiw" is not. Did you mean "preview"?
}
