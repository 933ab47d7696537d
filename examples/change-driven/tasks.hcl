schedule "every-minute" {
  every   = "1m"
  misfire = "skip"
}

task "hr-import" {
  description = "Import every person from the HR export (the first time, and when in doubt)"

  activity "import" {
    resource = resource.hr
  }
}

task "hr-live" {
  description = "Take what changed in the HR export since the last run"
  schedule    = schedule.every-minute

  activity "live_sync" {
    resource = resource.hr
    # The first run takes the export's state as its starting point;
    # "full" would first go through every person as an import does.
    start = "now"
  }
}

task "hr-events" {
  description = "Apply HR change messages as they arrive"

  # Without a schedule, `syncline serve` keeps this consumer running.
  activity "async_update" {
    resource       = resource.hr
    url            = var.amqp_url
    queue          = var.queue
    prefetch       = 200
    message_format = "change"
  }
}
