// Package config exposes Syncline's configuration language: the HCL files a
// team keeps in git, decoded into plain Go values (resources, object types,
// schedules, tasks, moved blocks) with diagnostics that point at the source.
//
// Loading happens in phases — parse, variables, locals, definitions,
// references — and stops between phases when going on could only add noise.
// Mapping, correlation, condition and filter expressions are kept as
// hcl.Expression values; config checks them statically (which roots and
// functions they may use) and the engine evaluates them per object.
//
// config never performs side effects: it only reads configuration sources
// (a directory, or any fs.FS such as a git revision). Its neighbours are
// planner, which diffs a Config against a state snapshot, and engine, which
// evaluates the kept expressions at run time.
package config
