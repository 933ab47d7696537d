locals {
  escape = file("../etc/passwd") # ERROR: Invalid function argument
  abs    = file("/etc/passwd") # ERROR: Invalid function argument
  # env() of an unset variable is unknown while validating; see TestEnvUnset.
  later = env("NOT_SET_ANYWHERE")
}
