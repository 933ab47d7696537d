resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {}
}

task "outputs" {
  activity "report" {
    name   = "absolute"
    source = "users"
    output = "/etc/cron.d/evil" # ERROR: Invalid report output
  }
  activity "report" {
    name   = "dotdot"
    source = "users"
    output = "reports/../../outside.csv" # ERROR: Invalid report output
  }
  activity "report" {
    name   = "state"
    source = "users"
    output = ".syncline/state.db" # ERROR: Invalid report output
  }
  activity "report" {
    name   = "git"
    source = "users"
    output = "./.git/config" # ERROR: Invalid report output
  }
  activity "report" {
    name   = "config-file"
    source = "users"
    output = "reports/extra.hcl" # ERROR: Invalid report output
  }
  activity "report" {
    name   = "directory"
    source = "users"
    output = "reports/" # ERROR: Invalid report output
  }
  activity "report" {
    name   = "empty"
    source = "users"
    output = "" # ERROR: Invalid report output
  }
  activity "report" {
    name   = "control"
    source = "users"
    output = "a\nb.csv" # ERROR: Invalid report output
  }
  activity "report" {
    name   = "fine"
    source = "users"
    output = "reports/./nested/../users.csv"
  }
}

task "settings" {
  activity "report" {
    name    = "bad-format"
    source  = "users"
    format  = "xlsx" # ERROR: Invalid value
    output  = "a.csv"
  }
  activity "report" {
    name    = "bad-source"
    source  = "summaries" # ERROR: Invalid value
    output  = "a.csv"
  }
  activity "report" {
    name    = "empty-column"
    source  = "users"
    columns = ["name", ""] # ERROR: Invalid report column
    output  = "a.csv"
  }
  activity "report" {
    name    = "twice"
    source  = "users"
    columns = ["name", "name"] # ERROR: Invalid report column
    output  = "a.csv"
  }
  activity "report" {
    name     = "fixed-columns"
    source   = "situations"
    resource = resource.hr
    columns  = ["situaton"] # ERROR: Invalid report column
    output   = "a.csv"
  }
  activity "report" {
    name    = "summary-columns"
    source  = "summary"
    columns = ["section", "email"] # ERROR: Invalid report column
    output  = "a.csv"
  }
  activity "report" {
    name     = "summary-resource"
    source   = "summary"
    resource = resource.hr # ERROR: Unsupported report setting
    filter   = true # ERROR: Unsupported report setting
    output   = "a.csv"
  }
  activity "report" {
    name   = "since-not-summary"
    source = "users"
    since  = "24h" # ERROR: Unsupported report setting
    output = "a.csv"
  }
  activity "report" {
    name   = "bad-since"
    source = "summary"
    since  = "yesterday" # ERROR: Invalid duration
    output = "a.csv"
  }
  activity "report" {
    name   = "summary-fine"
    source = "summary"
    since  = "7d"
    format = "html"
    output = "reports/week.html"
  }
}
