resource "a" {
  connector = "cvs" # ERROR: Invalid value
  connection {
    path = "x.csv"
  }
}

resource "b" {
  connector = "sql"
  connection {
    driver = "oracle" # ERROR: Invalid value
    dsn    = "x"
    table  = "accounts"
    key    = "login"
  }
}

resource "c" {
  connector = "ldap"
  connection {
    url     = "http://ldap.example.com" # ERROR: Invalid LDAP URL
    base_dn = "dc=example,dc=com"
    path    = "x" # ERROR: Unsupported argument
  }
}

resource "d" { # ERROR: Missing connection block
  connector = "csv"
}

resource "e" {
  connector = "csv"
  connection {
    path       = "x.csv"
    identifier = "id"
    delimiter  = ";;" # ERROR: Invalid delimiter
  }
  connection { # ERROR: Duplicate connection block
    path = "y.csv"
  }
}
