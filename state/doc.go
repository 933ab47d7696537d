// Package state is Syncline's store: the applied definitions with the
// lineage and serial that plans are checked against, the append-only
// history of applies, the apply lock, each task's runtime record and
// runs, and the repository of users and shadows. It is the only package
// that talks SQL; the planner reads a Snapshot, the command line applies
// through Store.Apply, and the engine queues, claims and finishes runs
// through the run methods and keeps the repository through Store.RepositoryWrite.
//
// A Store is a SQLite database (modernc.org/sqlite, pure Go) in WAL mode,
// opened with Open from a file path or "sqlite://PATH", or a PostgreSQL
// schema opened from a "postgres://" URL through pgx's database/sql
// adapter. The SQL is the same for both: portable statements with "?"
// placeholders, which the PostgreSQL driver wrapper rewrites once per
// statement (dialect.go, postgres_sql.go for the few SQLite-only ones).
// Its schema is built by versioned migrations embedded in the binary,
// twins per engine (migrations/, migrations_postgres/). Open refuses, and
// leaves untouched, any file that is not a Syncline store and any store
// newer than the binary. Apply runs in one transaction and refuses a plan
// made against another lineage or an older serial; Lock and Unlock guard
// a plan-and-apply cycle across processes. Every failure is an *Error
// carrying the operation, the cause (often a typed error such as
// StaleError or LockedError) and a hint for the user.
//
// Runs follow River's model: a run is claimed by one statement
// (RunClaim), a fire time produces its runs exactly once through a
// compare-and-set on the task's next fire time (TaskAdvanceSchedule), and a
// run finishes together with its follow-ups in one transaction
// (RunFinish). Task and run states are the typed TaskState and RunState.
//
// The repository (users, the correlation index over their attributes,
// shadows of resource objects with their pending operations, and the
// changes each run made) is written a batch per transaction through a
// RepositoryTx, whose statements are prepared once per batch, and read through
// streaming Store methods such as ShadowSummaries.
//
// Neighbours: the planner computes the Definitions and Changes an
// ApplyRequest carries; the engine schedules and executes runs, and its
// synchronization activities write users and shadows, through this
// package. docs/state.md describes the store for users.
package state
