resource "hr" {
  connector   = "csv"
  description = "The HR export, rewritten by the HR system as people change"

  # A csv file's change feed is a snapshot diff: live_sync keeps a
  # snapshot under .syncline/feeds and reports what was created,
  # modified and removed since the one its token names.
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }

  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }

    inbound {
      name            = attributes.login
      email           = attributes.email
      employee_number = attributes.emp_id
      status          = attributes.state == "terminated" ? "disabled" : "active"
    }

    reactions {
      unmatched = "add_focus"
      unlinked  = "link"
      linked    = "synchronize"
      deleted   = "inactivate_focus"
    }
  }
}

resource "app" {
  connector   = "sql"
  description = "The application's account table"

  # data/app.db is generated, never committed.
  connection {
    driver       = "sqlite"
    dsn          = "data/app.db"
    table        = "accounts"
    key          = "login"
    columns      = ["login", "email"]
    create_table = true
  }

  object_type "account" {
    provision_when = user.status == "active"
    deprovision    = "delete"

    correlate {
      name = attributes.login
    }

    outbound {
      login = user.name
      email = user.email
    }
  }
}
