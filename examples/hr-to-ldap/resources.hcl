resource "hr" {
  connector   = "csv"
  description = "The HR export"

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
      department      = attributes.department
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

resource "dir" {
  connector   = "ldap"
  description = "The people in the directory"

  connection {
    url              = var.ldap_url
    bind_dn          = "cn=admin,dc=example,dc=org"
    bind_password    = var.ldap_password
    base_dn          = "ou=people,dc=example,dc=org"
    identifier       = "uid"
    naming_attribute = "uid"
    object_classes   = ["inetOrgPerson"]
  }

  # The department groups: groupOfNames entries under ou=groups, one
  # `member` value (a person's DN) per member. The declared ones are
  # created when their first member needs them; Syncline never deletes
  # a group.
  object_type "entitlement" {
    intent       = "department"
    object_class = "groupOfNames"

    group {
      container = "ou=groups,dc=example,dc=org"
      declared  = ["engineering", "sales", "finance"]
    }
  }

  object_type "account" {
    object_class   = "inetOrgPerson"
    provision_when = user.status == "active"
    deprovision    = "delete"

    correlate {
      name = attributes.uid
    }

    outbound {
      uid            = user.name
      cn             = "${user.given_name} ${user.family_name}"
      givenName      = user.given_name
      sn             = user.family_name
      mail           = "${user.name}@example.org"
      employeeNumber = user.employee_number
    }

    # Each person is a member of their department's group; a move in HR
    # moves them (one add, one delete). Members added by hand are kept
    # and reported (tolerant, the default).
    association "department" {
      entitlement = "department"
      groups      = [user.department]
    }
  }
}
