// Package plantest holds the configurations that the planner's tests and the
// plan views' tests share: a small configuration with every kind of
// definition (BaseFiles), a sensitive variable whose value no view may show,
// the golden scenarios every view is rendered from, and the loading helpers
// they need. It imports config and state but not planner, so that the
// planner's own (internal) tests can use it; each test package turns a
// Scenario into a plan with planner.Desired and planner.Compute itself.
//
// Only tests import it: planner (plan data and the JSON encoding) and
// internal/views (the text and Markdown views).
package plantest
