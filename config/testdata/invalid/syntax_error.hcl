resource "hr" {
  connector = "csv" "sql" # ERROR: Missing newline after argument
}
