resource "dir" {
  connector = "ldap"
  connection {
    url     = "ldap://127.0.0.1:1"
    base_dn = "dc=example,dc=org"
  }
  object_type "entitlement" {
    intent = "department"
    group {
      container = "ou=groups,dc=example,dc=org"
      declared  = ["sales", "sales"] # ERROR: Invalid declared group
    }
  }
  object_type "entitlement" {
    intent = "nogroup"
  }
  object_type "entitlement" {
    intent = "empty"
    group { # ERROR: Missing required argument
      member_attribute = "" # ERROR: Empty group setting
    }
  }
  object_type "account" {
    group { # ERROR: Group block on a non-entitlement object type
      container = "ou=groups,dc=example,dc=org"
    }
    outbound {
      uid = user.name
    }
    association "dept" {
      entitlement = "department"
      groups      = [user.department]
    }
    association "again" { # ERROR: Duplicate association
      entitlement = "department"
      groups      = user.department
    }
    association "missing" { # ERROR: Unknown entitlement
      entitlement = "nosuch"
      groups      = []
    }
    association "nogroup" { # ERROR: Entitlement without a group block
      entitlement = "nogroup"
      groups      = []
    }
    association "bad" {
      entitlement = "empty"
      groups      = { a = 1 } # ERROR: Groups is not a list of names
      tolerant    = "maybe" # ERROR: Incorrect attribute value type
    }
    association "where" { # ERROR: Duplicate association
      entitlement = "empty"
      groups      = attributes.department # ERROR: Invalid reference
    }
  }
}

resource "app" {
  connector = "csv"
  connection {
    path       = "app.csv"
    identifier = "login"
  }
  object_type "entitlement" {
    intent = "groups"
    group { # ERROR: Connector keeps no memberships
      container = "groups"
    }
  }
  object_type "account" {
    association "x" { # ERROR: Connector keeps no memberships
      entitlement = "groups"
      groups      = []
    }
  }
}

task "t" {
  activity "import" {
    resource = resource.dir
    thresholds {
      max_membership_removals = -1 # ERROR: Invalid number
    }
  }
}

resource "db" {
  connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = "app.db"
    table  = "accounts"
    key    = "login"
  }
  object_type "entitlement" {
    group { # ERROR: Member value not available
      container    = "memberships"
      member_value = "dn"
    }
  }
  object_type "entitlement" {
    intent = "other"
    group {
      container    = "memberships"
      member_value = "uid" # ERROR: Invalid value
    }
  }
}

resource "dir2" {
  connector = "ldap"
  connection {
    url     = "ldap://127.0.0.1:1"
    base_dn = "dc=example,dc=org"
  }
  object_type "entitlement" {
    group {
      container = "ou=groups,dc=example,dc=org"
    }
    association "self" { # ERROR: Association on an entitlement
      entitlement = "default"
      groups      = []
    }
  }
}

resource "dir3" {
  connector = "ldap"
  connection {
    url     = "ldap://127.0.0.1:1"
    base_dn = "dc=example,dc=org"
  }
  object_type "entitlement" {
    intent = "onaccount"
    group {
      membership        = "account"
      account_attribute = "businessCategory"
    }
  }
  object_type "entitlement" {
    intent = "noattr"
    group { # ERROR: Missing required argument
      membership = "account"
    }
  }
  object_type "entitlement" {
    intent = "both"
    group {
      membership        = "account"
      account_attribute = "businessCategory"
      container         = "ou=groups,dc=example,dc=org" # ERROR: Setting of another membership storage
      member_attribute  = "member" # ERROR: Setting of another membership storage
      declared          = ["a"] # ERROR: Setting of another membership storage
    }
  }
  object_type "entitlement" {
    intent       = "classed"
    object_class = "groupOfNames"
    group { # ERROR: Setting of another membership storage
      membership        = "account"
      account_attribute = "businessCategory"
    }
  }
  object_type "entitlement" {
    intent = "ongroup"
    group {
      container         = "ou=groups,dc=example,dc=org"
      account_attribute = "businessCategory" # ERROR: Setting of another membership storage
    }
  }
  object_type "entitlement" {
    intent = "where"
    group {
      membership        = "elsewhere" # ERROR: Invalid value
      account_attribute = "businessCategory"
    }
  }
}

resource "db2" {
  connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = "app.db"
    table  = "accounts"
    key    = "login"
  }
  object_type "entitlement" {
    group { # ERROR: Membership on the account not available
      membership        = "account"
      account_attribute = "groups"
    }
  }
}

resource "dir4" {
  connector = "ldap"
  connection {
    url     = "ldap://127.0.0.1:1"
    base_dn = "dc=example,dc=org"
  }
  object_type "entitlement" {
    intent      = "department"
    identifier  = "cn" # ERROR: Setting not available on an entitlement
    deprovision = "keep" # ERROR: Setting not available on an entitlement
    group {
      container = "ou=groups,dc=example,dc=org"
    }
    correlate { # ERROR: Setting not available on an entitlement
      name = attributes.cn
    }
    inbound { # ERROR: Setting not available on an entitlement
      department = attributes.cn
    }
    reactions {
      unmatched = "add_focus" # ERROR: Reaction not available on an entitlement
      deleted   = "none"
    }
  }
}

task "groups" {
  activity "import" {
    resource = resource.dir4
    kind     = "entitlement"
    intent   = "department"
  }
  activity "live_sync" { # ERROR: Activity not available on an entitlement
    resource = resource.dir4
    kind     = "entitlement"
    intent   = "department"
  }
  activity "reconciliation" { # ERROR: Activity not available on an entitlement
    resource = resource.dir3
    kind     = "entitlement"
    intent   = "onaccount"
  }
}

locals {
  gids = { engineering = 5001 }
}

resource "dir5" {
  connector = "ldap"
  connection {
    url     = "ldap://127.0.0.1:1"
    base_dn = "dc=example,dc=org"
  }
  object_type "entitlement" {
    intent       = "posix"
    object_class = "posixGroup"
    group {
      container        = "ou=groups,dc=example,dc=org"
      member_attribute = "memberUid"
      member_value     = "identifier"
      declared         = ["engineering", "sales"]
      attributes       = { gidNumber = local.gids[group.name] } # ERROR: Invalid group attributes
    }
  }
  object_type "entitlement" {
    intent = "nodeclared"
    group {
      container  = "ou=groups,dc=example,dc=org"
      attributes = { description = "x" } # ERROR: Group attributes without declared groups
    }
  }
  object_type "entitlement" {
    intent = "user"
    group {
      container  = "ou=groups,dc=example,dc=org"
      declared   = ["a"]
      attributes = { description = user.name } # ERROR: Invalid reference
    }
  }
  object_type "entitlement" {
    intent = "field"
    group {
      container  = "ou=groups,dc=example,dc=org"
      declared   = ["a"]
      attributes = { description = group.title } # ERROR: Reference to undeclared group field
    }
  }
  object_type "entitlement" {
    intent = "ours"
    group {
      container  = "ou=groups,dc=example,dc=org"
      declared   = ["a"]
      attributes = { objectClass = "top" } # ERROR: Invalid group attributes
    }
  }
  object_type "entitlement" {
    intent = "shape"
    group {
      container  = "ou=groups,dc=example,dc=org"
      declared   = ["a"]
      attributes = "gidNumber=5" # ERROR: Invalid group attributes
    }
  }
  object_type "entitlement" {
    intent = "onaccount"
    group {
      membership        = "account"
      account_attribute = "businessCategory"
      attributes        = { description = "x" } # ERROR: Setting of another membership storage
    }
  }
}

resource "db3" {
  connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = "app.db"
    table  = "accounts"
    key    = "login"
  }
  object_type "entitlement" {
    group {
      container  = "memberships"
      declared   = ["a"]
      attributes = { description = "x" } # ERROR: Group attributes not available
    }
  }
}
