task "t" {
  mode        = "preveiw" # ERROR: Invalid value
  concurrency = "queue" # ERROR: Invalid value
  priority    = 0 # ERROR: Invalid number
  timeout     = "soon" # ERROR: Invalid duration
  enabled     = "maybe" # ERROR: Incorrect attribute value type
  schedule    = "nightly" # ERROR: Invalid reference

  retry {
    attempts = 0 # ERROR: Invalid number
  }

  notify {
    on      = ["failed", "exploded"] # ERROR: Invalid value
    webhook = "ftp://example.com/hook" # ERROR: Invalid webhook URL
  }

  activity "exec" {
    command = "true"
  }
}

task "empty" { # ERROR: Task without activities
}
