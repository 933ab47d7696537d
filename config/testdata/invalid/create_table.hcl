# create_table = true creates the key and the listed columns, so columns is
# required, and a change column cannot be created.
resource "no_columns" {
  connector = "sql"
  connection {
    driver       = "sqlite"
    dsn          = "data/app.db"
    table        = "accounts"
    key          = "login"
    create_table = true # ERROR: Missing columns for create_table
  }
}

resource "empty_columns" {
  connector = "sql"
  connection {
    driver       = "sqlite"
    dsn          = "data/app.db"
    table        = "accounts"
    key          = "login"
    columns      = []
    create_table = true # ERROR: Missing columns for create_table
  }
}

resource "empty_name" {
  connector = "sql"
  connection {
    driver       = "postgres"
    dsn          = "postgres://db/app"
    table        = "accounts"
    key          = "login"
    columns      = ["login", ""] # ERROR: Empty column name
    create_table = true
  }
}

resource "change_column" {
  connector = "sql"
  connection {
    driver        = "mysql"
    dsn           = "app@tcp(db:3306)/app"
    table         = "accounts"
    key           = "login"
    columns       = ["full_name"]
    change_column = "updated_at" # ERROR: Change column with create_table
    create_table  = true
  }
}

# Without create_table (or with it false), columns stays optional.
resource "off" {
  connector = "sql"
  connection {
    driver        = "sqlite"
    dsn           = "data/app.db"
    table         = "accounts"
    key           = "login"
    change_column = "updated_at"
    create_table  = false
  }
}

resource "not_bool" {
  connector = "sql"
  connection {
    driver       = "sqlite"
    dsn          = "data/app.db"
    table        = "accounts"
    key          = "login"
    create_table = "sometimes" # ERROR: Incorrect attribute value type
  }
}
