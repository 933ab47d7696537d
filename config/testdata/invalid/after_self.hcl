task "a" {
  after = [task.a] # ERROR: Task depends on itself
  activity "exec" {
    command = "true"
  }
}
