// Package scenario generates synthetic Syncline configurations of a chosen
// size. Benchmarks use them to measure planning and applying at scale, so
// that the figures in docs/performance.md come from the same inputs every
// time.
package scenario

import (
	"fmt"
	"strings"
)

// Files generates a configuration of resources and tasks as file name →
// content, split the way a team splits a large repository: resources 100 to
// a file, tasks 500 to a file. Every hundredth resource and task differs when
// variant is true, which is the 1% a typical change touches.
func Files(resources, tasks int, variant bool) map[string]string {
	files := map[string]string{"schedules.hcl": schedules}
	chunks := map[string]*strings.Builder{}
	add := func(name, text string) {
		if chunks[name] == nil {
			chunks[name] = &strings.Builder{}
		}
		chunks[name].WriteString(text)
	}
	for i := range resources {
		add(fmt.Sprintf("resources-%03d.hcl", i/ResourcesPerFile), resource(i, variant && i%100 == 0))
	}
	for i := range tasks {
		add(fmt.Sprintf("tasks-%03d.hcl", i/TasksPerFile), task(i, i%resources, variant && i%100 == 0))
	}
	for name, b := range chunks {
		files[name] = b.String()
	}
	return files
}

// How many definitions Files puts in one file.
const (
	ResourcesPerFile = 100
	TasksPerFile     = 500
)

const schedules = `schedule "nightly" {
  cron     = "0 2 * * *"
  timezone = "Europe/Prague"
}

schedule "often" {
  every = "15m"
}
`

func resource(i int, changed bool) string {
	desc := "HR export"
	if changed {
		desc = "HR export (moved to the new share)"
	}
	return fmt.Sprintf(`resource "r%d" {
  connector   = "csv"
  description = %q
  connection {
    path       = "data/r%d.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }
    inbound {
      name   = lower(attributes.login)
      email  = attributes.email
      status = attributes.state == "terminated" ? "disabled" : "active"
    }
    reactions {
      unmatched = "add_focus"
    }
  }
}

`, i, desc, i)
}

func task(i, resource int, changed bool) string {
	priority := 50
	if changed {
		priority = 80
	}
	schedule := "nightly"
	if i%2 == 1 {
		schedule = "often"
	}
	return fmt.Sprintf(`task "t%d" {
  description = "Import slice %d"
  schedule    = schedule.%s
  priority    = %d
  retry {
    attempts = 3
  }
  activity "import" {
    resource = resource.r%d
    filter   = startswith(attributes.emp_id, "e")
  }
}

`, i, i, schedule, priority, resource)
}
