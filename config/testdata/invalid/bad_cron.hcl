schedule "a" {
  cron = "0 2 * *" # ERROR: Invalid cron expression
}

schedule "b" {
  cron     = "61 * * * *" # ERROR: Invalid cron expression
  timezone = "Mars/Olympus" # ERROR: Unknown time zone
}

schedule "c" {
  cron = "CRON_TZ=Europe/Prague 0 2 * * *" # ERROR: Invalid cron expression
}

schedule "d" {
  every    = "10x" # ERROR: Invalid duration
}

schedule "e" {
  every = "1h" # ERROR: Conflicting schedule timing
  cron  = "@daily"
}

schedule "f" { # ERROR: Missing schedule timing
  misfire = "run_twice" # ERROR: Invalid value
}

schedule "g" {
  every    = "1h"
  timezone = "UTC" # ERROR: Timezone without cron
}

schedule "h" {
  every        = "500ms" # ERROR: Interval too short
  misfire      = "run_all"
  max_catch_up = 5000 # ERROR: Invalid number
}
