resorce "hr" { # ERROR: Unsupported block type
}

syncline {
  state = "mysql://x" # ERROR: Invalid state location
  sync {
    policy = "always" # ERROR: Invalid value
  }
}
