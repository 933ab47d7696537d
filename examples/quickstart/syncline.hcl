# Quickstart: HR export -> users -> application accounts.
#
# Everything here runs on embedded parts: a CSV file and a SQLite database
# beside this file, and Syncline's own SQLite state in .syncline/.

syncline {
  state = "sqlite://.syncline/state.db"
}

variable "app_domain" {
  type        = string
  default     = "example.com"
  description = "Mail domain for application accounts."
}

locals {
  # Logins are ASCII: "Jiří Nováček" becomes "jiri.novacek".
  default_status = "active"
}
