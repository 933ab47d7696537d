// Package catalog is what the engine may run: the configuration loaded
// from a directory (Load) and checked against the definitions apply
// stored. A task is runnable only when its canonical definition, its
// named schedule's and its resources' hash the same as what apply stored
// — what runs is what was applied, never an unreviewed edit.
//
// A Catalog answers Task, Check, Problem, Dependents and Revision; a task
// that may not run is a *TaskError (ErrUnknownTask, ErrNotRunnable), a
// directory that does not load a *ConfigError with its diagnostics.
//
// Neighbours: config decodes the files and planner computes their
// canonical definitions; state holds the applied ones. engine/scheduler
// decides from a Catalog when tasks fire, engine/runner checks it before
// a run starts, and engine.Server reloads it after each apply.
package catalog
