// Package planner computes what an apply would change. It is pure: no I/O,
// no clock, no printing. Its neighbours are config, which decodes the HCL a
// team wrote, and state, which stores the definitions an apply wrote; the
// command line (cmd/syncline) wires the three together and chooses a view.
//
// Planning happens in two steps:
//
//   - Desired turns a *config.Config into canonical definitions
//     (state.Definition), one per resource, schedule and task. A spec is flat —
//     attribute path to canonical rendering, defaults included — so a diff is
//     a map comparison, and two configurations that differ only in layout give
//     byte-equal specs and the same hash. Sensitive values are replaced by a
//     fingerprint keyed with the state's secret key; a spec never holds a
//     secret. The values of the variables and locals that kept expressions
//     read are part of the spec (var.NAME, local.NAME). DesiredWithoutSecrets
//     does the same for a configuration loaded without its secrets, for
//     comparing two revisions (syncline diff), never for storing.
//   - Compute diffs those against a state.Snapshot and returns a Plan: per
//     address a Change (create, update, delete, replace, or a move from a
//     moved block) with attribute-level before/after, the next fire times a
//     timing change causes, and notes a reviewer must see. A plan that would
//     drop shadows without Options.AllowDestroy carries Errors.
//
// A plan also carries the identity impact (Impact): which users and
// resource objects the configuration would change. The planner owns its
// data, its aggregation (ImpactBuilder, fed the changes an evaluator
// finds in the shape runs record them), the thresholds it would exceed
// and the -fail-on-impact language (ImpactPolicy); the evaluation itself
// is engine/synchronization.Impact, which runs the preview's own
// decisions over the stored users and shadows, so that the planner needs
// no copy of them and imports no engine.
//
// A Plan is plain data. Plan.ApplyRequest turns it into the store's request;
// Plan.Verify checks a saved plan against the configuration at apply time,
// and Plan.SameChanges against the plan recomputed then. RenderJSON writes
// its documented JSON encoding (docs/plan-format.md), for machines and plan
// files, with values typed (string, number, …, {"expression": …}), and
// DecodeJSON reads a saved plan back to the same specs. Nothing here
// renders for people: the text and Markdown views live in internal/views,
// which the command line uses.
package planner
