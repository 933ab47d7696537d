// Package state is Syncline's store: applied definitions with their lineage
// and serial, the history of applies, task runtime, runs, and the repository
// of users and shadows. It is the only package that talks SQL; the engine and
// the command line go through its Store type.
//
// The store arrives with the state, planner and apply issue; until then this
// package only declares its place in the architecture.
package state
