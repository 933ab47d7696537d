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

resource "f" {
  connector = "ldap"
  connection {
    url                  = "ldaps://ldap.example.com"
    base_dn              = "dc=example,dc=com"
    container            = "ou=people,dc=example,dc=com"
    insecure_skip_verify = true # WARNING: TLS certificate not verified
    object_classes       = ["inetOrgPerson", ""] # ERROR: Invalid object classes
  }
}

resource "g" {
  connector = "ldap"
  connection {
    url            = "ldap://ldap.example.com"
    base_dn        = "dc=example,dc=com"
    start_tls      = true
    ca_file        = "ca.pem"
    object_classes = [] # ERROR: Invalid object classes
  }
}
