schedule "nightly" {
  cron     = "0 2 * * *"
  timezone = "Europe/Prague"
  misfire  = "run_once"
}

schedule "hourly" {
  every   = "1h"
  misfire = "skip"
}
