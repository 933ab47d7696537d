locals {
  escape  = file("../etc/passwd") # ERROR: Invalid function argument
  missing = env("NOT_SET_ANYWHERE") # ERROR: Invalid function argument
}
