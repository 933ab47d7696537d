resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {}
}

task "import" {
  activity "import" {
    resource = resource.hrr # ERROR: Reference to undeclared resource
  }
}
