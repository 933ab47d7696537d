schedule "nightly" {
  cron = "0 2 * * *"
}

schedule "nightly" { # ERROR: Duplicate schedule
  every = "1h"
}


task "t" {
  activity "exec" {
    command = "true"
  }
  activity "exec" { # ERROR: Duplicate activity name
    command = "false"
  }
}
