schedule "nightly" {
  cron = "0 2 * * *"
}

task "t" {
  schedule = schedule.nighty # ERROR: Reference to undeclared schedule
  activity "exec" {
    command = "true"
  }
}

task "u" {
  schedule = schedule.nightly # ERROR: Conflicting schedules
  schedule {
    every = "1h"
  }
  activity "exec" {
    command = "true"
  }
}

task "v" {
  after = task.t # ERROR: Invalid reference list
  activity "exec" {
    command = "true"
  }
}

task "w" {
  after = [resource.t] # ERROR: Invalid reference
  activity "exec" {
    command = "true"
  }
}
