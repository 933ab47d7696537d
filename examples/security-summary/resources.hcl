resource "hr" {
  connector   = "csv"
  description = "Nightly export from the HR system"

  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }

  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }

    inbound {
      name            = lower(replace(transliterate("${attributes.first_name}.${attributes.last_name}"), " ", ""))
      given_name      = attributes.first_name
      family_name     = attributes.last_name
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
    columns      = ["login", "full_name", "email"]
    create_table = true
  }

  object_type "account" {
    provision_when = user.status == "active"
    deprovision    = "delete"

    correlate {
      name = attributes.login
    }

    outbound {
      login     = user.name
      full_name = "${user.given_name} ${user.family_name}"
      email     = "${user.name}@example.com"
    }
  }
}
