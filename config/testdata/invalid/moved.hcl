task "b" {
  activity "exec" {
    command = "true"
  }
}

task "c" {
  activity "exec" {
    command = "true"
  }
}

moved {
  from = task.a
  to   = schedule.b # ERROR: Move across kinds
}

moved {
  from = task.c # ERROR: Moved definition still declared
  to   = task.b
}

moved {
  from = task.x
  to   = task.y # ERROR: Reference to undeclared task
}

moved {
  from = "task.a" # ERROR: Invalid reference
  to   = task.b
}
