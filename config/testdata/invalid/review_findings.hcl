variable "secret" {
  sensitive = true
  default   = "x"
}

variable "secret_map" {
  type      = map(string)
  sensitive = true
  default   = { A = "b" }
}

syncline {
  state = "postgres://syncline:hunter2@db.example.com/syncline" # ERROR: Password in state URL
}

schedule "blank_zone" {
  cron     = "0 2 * * *"
  timezone = "" # ERROR: Unknown time zone
}

schedule "signed" {
  every = "1d-12h" # ERROR: Invalid duration
}

resource "dir" {
  connector = "ldap"
  connection {
    url       = "ldap://127.0.0.1:389"
    base_dn   = "dc=example,dc=com"
    page_size = -5 # ERROR: Invalid number
  }
  object_type "account" {
    intent = "two words" # ERROR: Invalid name
  }
}

task "t" {
  notify {
    on      = [] # ERROR: Notify on nothing
    webhook = "https://hooks.example.com/x"
  }
  activity "exec" {
    name    = "run it" # ERROR: Invalid name
    command = "echo"
    args    = [var.secret] # ERROR: Sensitive value not allowed here
    env     = var.secret_map # ERROR: Sensitive value not allowed here
  }
  activity "async_update" {
    resource = resource.dir
    url      = "http://127.0.0.1:5672" # ERROR: Invalid AMQP URL
    queue    = "q"
  }
  activity "report" { # ERROR: Unknown object type
    source   = "shadows"
    resource = resource.dir
    kind     = "group"
    output   = "x.csv"
  }
}

task "u" {
  activity "exec" {
    command = "true"
  }
}

moved {
  from = task.a
  to   = task.u
}

moved { # ERROR: Duplicate move
  from = task.b
  to   = task.u
}
