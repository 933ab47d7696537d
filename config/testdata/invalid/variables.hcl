variable "count" {
  type    = number
  default = "many" # ERROR: Invalid value for variable
}

variable "9lives" { # ERROR: Invalid name
}

variable "x" {}
variable "x" {} # ERROR: Duplicate variable declaration

variable "bad_type" {
  type = strin # ERROR: Invalid type specification
}
