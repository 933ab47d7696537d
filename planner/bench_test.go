package planner

import (
	"fmt"
	"strings"
	"testing"
)

// benchFiles generates a configuration of resources and tasks. Every
// hundredth definition differs when variant is true, which is the 1% a
// typical change touches.
func benchFiles(resources, tasks int, variant bool) map[string]string {
	var r, s, t strings.Builder
	s.WriteString("schedule \"nightly\" {\n  cron     = \"0 2 * * *\"\n  timezone = \"Europe/Prague\"\n}\n\n")
	s.WriteString("schedule \"often\" {\n  every = \"15m\"\n}\n\n")
	for i := range resources {
		desc := "HR export"
		if variant && i%100 == 0 {
			desc = "HR export (moved to the new share)"
		}
		fmt.Fprintf(&r, `resource "r%d" {
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
	for i := range tasks {
		priority := 50
		if variant && i%100 == 0 {
			priority = 80
		}
		schedule := "nightly"
		if i%2 == 1 {
			schedule = "often"
		}
		fmt.Fprintf(&t, `task "t%d" {
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

`, i, i, schedule, priority, i%resources)
	}
	return map[string]string{"resources.hcl": r.String(), "schedules.hcl": s.String(), "tasks.hcl": t.String()}
}

// BenchmarkCompute10kTasks plans 10,000 tasks and 1,000 resources against a
// snapshot that holds them all with 1% of them different.
func BenchmarkCompute10kTasks(b *testing.B) {
	desired := mustDesired(b, benchFiles(1000, 10_000, false))
	snap := snapshotOf(mustDesired(b, benchFiles(1000, 10_000, true)), 1)
	p := mustCompute(b, desired, snap, Options{})
	if got := len(p.Changes); got != 110 {
		b.Fatalf("%d changes, want 110", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(desired, snap, Options{Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDesired builds the canonical definitions of 10,000 tasks and
// 1,000 resources from a loaded configuration.
func BenchmarkDesired(b *testing.B) {
	cfg := loadConfig(b, benchFiles(1000, 10_000, false))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Desired(cfg, "rev"); err != nil {
			b.Fatal(err)
		}
	}
}
