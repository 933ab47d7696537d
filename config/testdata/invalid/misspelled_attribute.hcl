resource "hr" {
  connector = "csv"
  connection { # ERROR: Missing required argument
    pth        = "data/hr.csv" # ERROR: Unsupported argument
    identifier = "emp_id"
  }
}
