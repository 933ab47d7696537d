task "a" {
  after = [task.b]
  activity "exec" {
    command = "true"
  }
}

task "b" {
  after = [task.a] # ERROR: Cycle in task dependencies
  activity "exec" {
    command = "true"
  }
}
