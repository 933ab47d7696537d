# No syncline block: an e-mail notification has no mail server.

task "both" {
  activity "exec" {
    command = "true"
  }
  notify { # ERROR: No mail server
    webhook = "https://hooks.example.com/x"
    email   = ["iam@example.com"] # ERROR: Two channels in one notify block
  }
}

task "neither" {
  activity "exec" {
    command = "true"
  }
  notify { # ERROR: Missing notification channel
    on = ["failed"]
  }
}

task "misplaced" {
  activity "exec" {
    command = "true"
  }
  notify {
    webhook = "https://hooks.example.com/x"
    subject = "{task}" # ERROR: Setting of the other channel
    format  = "xml" # ERROR: Invalid value
    timeout = "0s" # ERROR: Invalid duration
  }
  notify { # ERROR: No mail server
    email         = ["a@example.com\nBcc: x@evil.example"] # ERROR: Invalid e-mail address
    secret        = "k" # ERROR: Setting of the other channel
    give_up_after = "-1h" # ERROR: Invalid duration
  }
  notify {
    email = [] # ERROR: No recipients
  }
  notify { # ERROR: No mail server
    email = ["not an address"] # ERROR: Invalid e-mail address
  }
}
