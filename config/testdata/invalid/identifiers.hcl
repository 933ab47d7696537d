resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    identifier = "login" # ERROR: Object type identifier differs from the connection's
  }
  object_type "account" {
    intent     = "same"
    identifier = "emp_id"
  }
}

resource "dir" {
  connector = "ldap"
  connection {
    url     = "ldap://127.0.0.1:1"
    base_dn = "dc=example,dc=org"
  }
  object_type "account" {
    identifier = "entryuuid"
  }
  object_type "account" {
    intent     = "by-uid"
    identifier = "uid" # ERROR: Object type identifier differs from the connection's
  }
}

resource "app" {
  connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = "data/app.db"
    table  = "accounts"
    key    = "login"
  }
  object_type "account" {
    identifier = "id" # ERROR: Object type identifier differs from the connection's
  }
}
