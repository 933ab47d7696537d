// Package planner computes what an apply would change: it takes the desired
// definitions decoded by config and a snapshot of the stored definitions from
// state and returns a Plan as plain data. It performs no I/O and never prints;
// renderers turn a Plan into text, JSON or Markdown.
//
// The planner arrives with the state, planner and apply issue; until then this
// package only declares its place in the architecture.
package planner
