// Package engine is where side effects live: the scheduler, the task runner,
// the activities (import, reconciliation, live sync, asynchronous update,
// propagation, recompute, report, exec) and the connectors that reach
// resources. It reads applied definitions from state and writes runs and
// repository objects back to it.
//
// The engine arrives with the engine issue; until then this package only
// declares its place in the architecture.
package engine
