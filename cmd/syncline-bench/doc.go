// Command syncline-bench measures whole synchronization scenarios: how
// many objects a second an import and a reconciliation of a generated HR
// export get through, and how much memory they take, next to a baseline
// measured in the same run on the same file.
//
//	syncline-bench [-n ROWS] [-threads T] [-dir DIR] [-postgres DSN] [-state-postgres DSN] [-only PHASES] [-json] [-cpuprofile FILE] [-memprofile FILE] [-trace FILE]
//
// It writes an HR export of ROWS people and a configuration with one csv
// resource and two tasks (internal/scenario: HR, SyncFiles), then runs
// three phases, each timed:
//
//  1. import: hr-import into a fresh store (every object unmatched, a user
//     added for each);
//  2. no-op: hr-reconcile of the same file on that store (every object
//     unchanged);
//  3. changes: hr-reconcile after the export is rewritten with 1% of the
//     people changed and 1% gone (users modified and disabled);
//  4. provision: import with provisioning — hr-import of the export into a
//     fresh store of its own, with a second resource, sql, whose outbound
//     mappings give every active user an account row in a table of a
//     SQLite file (internal/scenario: ProvisionFiles). With -postgres DSN
//     (or $SYNCLINE_BENCH_POSTGRES) the phase runs again as
//     provision-postgres, into a table of that database named after the
//     work directory, dropped afterwards.
//
// With -state-postgres DSN (or $SYNCLINE_BENCH_STATE_POSTGRES) the import
// of phase 1 runs once more, as import-pgstate, into a fresh state kept in
// that PostgreSQL database (schema syncline_bench_state_PID, dropped
// before and after) instead of a file; the report compares its rate with the
// file's, measured in the same run (issue 20: at least half).
//
// -only import,import-pgstate runs just the phases named (noop and
// changes go on with the store import left, so they need it too); "sync"
// names the import and reconciliation phases, "provision" both
// provisioning phases.
//
// A provisioning phase reports accounts/s (rows in the table over the
// phase's time) and must leave exactly one row, with the mapped values,
// for every active person and no other. Its baselines write the same rows
// into the same kind of table (scenario.ProvisionTable) with nothing else
// done, each in a child process of its own for its peak RSS: multi-row
// INSERTs of 1,000 rows in one transaction, and for PostgreSQL one COPY.
//
// Each phase runs in a child process — the command runs itself again with
// a hidden -phase flag — so that its peak resident set size (VmHWM in
// /proc/self/status, Linux only) is its own and not the largest of the
// phases so far, and so that no phase inherits another's heap. The time is
// the synchronization call alone (synchronization.Import or Reconcile,
// built as a Job directly, as the engine's activities do); loading the
// configuration and opening the store are not timed. Every phase must end
// without a failed object and with the statistics the generated data
// implies, or the command exits with status 1.
//
// The baseline is the sqlite3 shell importing the same CSV file into a
// plain table (.mode csv, .import): the cost of writing the same rows to
// SQLite with nothing else done. Without sqlite3 on PATH the baseline is
// reported as skipped.
//
// -cpuprofile, -memprofile and -trace write one file per phase, the phase's
// name inserted before the extension (cpu.prof → cpu.import.prof).
//
// Neighbours: engine/synchronization is what is measured; internal/scenario
// generates the inputs; docs/performance.md holds the figures.
package main
