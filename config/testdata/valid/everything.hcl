# Every block and attribute the language has, in one valid file.
syncline {
  state      = "sqlite://.syncline/state.db"
  public_url = "https://syncline.example.com"
  smtp {
    host     = "smtp.example.com"
    port     = 2525
    tls      = "tls"
    username = "syncline"
    password = "pw"
    from     = "Syncline <syncline@example.com>"
    timeout  = "20s"
  }
  sync {
    repository     = "file:///srv/git/iam.git"
    branch         = "main"
    path           = "."
    policy         = "plan_only"
    poll_interval  = "1m"
    webhook_secret = var.webhook_secret
  }
}

variable "webhook_secret" {
  type      = string
  sensitive = true
}

variable "domains" {
  type        = list(string)
  default     = ["example.com"]
  description = "Mail domains"
}

locals {
  domain        = var.domains[0]
  greeting      = "hello ${local.domain}"
  enabled_value = "1"
}

schedule "nightly" {
  cron         = "30 1 * * 1-5"
  timezone     = "America/New_York"
  misfire      = "run_all"
  max_catch_up = 3
}

schedule "often" {
  every = "15m"
}

resource "hr" {
  connector         = "csv"
  description       = "HR"
  grouping_interval = "10m"
  pending_retention = "7d"
  connection {
    path                 = "data/hr.csv"
    identifier           = "emp_id"
    delimiter            = ";"
    columns              = ["emp_id", "login"]
    multivalue_delimiter = "|"
  }
  object_type "account" {
    intent       = "default"
    object_class = "row"
    identifier   = "emp_id"
    correlate {
      employee_number = attributes.emp_id
    }
    inbound {
      name   = lower(transliterate(attributes.login))
      status = try(attributes.state, "") == "terminated" ? "disabled" : "active"
      note   = startswith(shadow.identifier, "e") ? local.greeting : null
    }
    reactions {
      linked    = "synchronize"
      unlinked  = "link"
      disputed  = "none"
      unmatched = "add_focus"
      deleted   = "inactivate_focus"
    }
  }
}

resource "db" {
  connector = "sql"
  connection {
    driver             = "postgres"
    dsn                = env("HOME_DIR")
    table              = "accounts"
    schema             = "public"
    key                = "login"
    columns            = ["login", "email"]
    change_column      = "updated_at"
    change_column_type = "timestamp"
    create_table       = false
  }
  object_type "account" {
    provision_when = user.status == "active" && endswith(user.email, local.domain)
    deprovision    = "disable"
    activation {
      attribute = "enabled"
      enabled   = local.enabled_value
      disabled  = "0"
    }
    outbound {
      login = user.name
      email = format("%s@%s", user.name, var.domains[0])
    }
    reactions {
      disputed = "inactivate_resource_object"
    }
  }
}

resource "dir" {
  connector = "ldap"
  connection {
    url              = "ldaps://ldap.example.com:636"
    bind_dn          = "cn=admin,dc=example,dc=com"
    bind_password    = var.webhook_secret
    base_dn          = "dc=example,dc=com"
    filter           = "(objectClass=inetOrgPerson)"
    identifier       = "entryUUID"
    naming_attribute = "uid"
    page_size        = 200
    start_tls        = false
    timeout          = "30s"
  }
  object_type "account" {
    intent = "staff"
  }
}

task "import" {
  description = "Import"
  owner       = "iam"
  priority    = 90
  schedule    = schedule.nightly
  enabled     = true
  mode        = "full"
  concurrency = "forbid"
  timeout     = "2h"
  retry {
    attempts    = 3
    backoff     = "30s"
    max_backoff = "10m"
  }
  notify {
    on      = ["failed", "partial"]
    webhook = "https://hooks.example.com/iam"
    secret  = "s3cret"
    format  = "slack"
    timeout = "5s"
  }
  notify {
    on            = ["failed"]
    email         = ["iam@example.com", "On call <oncall@example.com>"]
    subject       = "[iam] {task} {outcome}"
    give_up_after = "2h"
  }
  activity "import" {
    resource  = resource.hr
    kind      = "account"
    intent    = "default"
    filter    = startswith(attributes.emp_id, "e")
    max_items = 1000
    threads   = 2
    thresholds {
      max_creations = 500
    }
    errors {
      action     = "continue"
      stop_after = 10
    }
  }
}

task "reconcile" {
  after       = [task.import]
  mode        = "preview"
  concurrency = "replace"
  schedule {
    every = "6h"
  }
  activity "reconciliation" {
    resource = resource.db
    skip     = ["operation_completion"]
    threads  = 4
    thresholds {
      max_deletions = 25
      max_disables  = 50
    }
    errors {
      action = "stop"
    }
  }
  activity "propagation" {
    resource = resource.db
  }
}

task "live" {
  concurrency = "allow"
  activity "live_sync" {
    resource   = resource.dir
    intent     = "staff"
    batch_size = 500
  }
  activity "async_update" {
    resource     = resource.dir
    intent       = "staff"
    url          = "amqp://guest:guest@127.0.0.1:5672/"
    queue        = "iam.changes"
    prefetch     = 20
    max_messages = 1000
    idle_timeout = "5m"
  }
}

task "maintenance" {
  enabled = false
  activity "recompute" {
    filter  = user.status == "active"
    threads = 2
  }
  activity "report" {
    name    = "users-report"
    source  = "users"
    filter  = user.status != "active"
    columns = ["name", "status"]
    format  = "csv"
    output  = "reports/users.csv"
  }
  activity "report" {
    name     = "situations"
    source   = "situations"
    resource = resource.db
    format   = "json"
    output   = "reports/situations.json"
  }
  activity "exec" {
    command     = "sh"
    args        = ["-c", "echo done"]
    env         = { GREETING = local.greeting }
    working_dir = "."
    timeout     = "1m"
  }
}

moved {
  from = task.old-import
  to   = task.import
}
