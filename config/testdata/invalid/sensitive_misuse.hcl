variable "secret" {
  sensitive = true
  default   = "full"
}

task "t" {
  mode = var.secret # ERROR: Sensitive value not allowed here
  activity "exec" {
    command = "true"
  }
}
