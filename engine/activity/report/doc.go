// Package report is the report activity: it reads the repository (users,
// shadows, the situations of an object type) or the run history (a
// summary of a period), keeps the rows the activity's filter selects,
// and writes them as CSV, JSON or a self-contained HTML table, atomically
// (a temporary file in the same directory, then a rename) inside the
// configuration directory only, through os.Root.
//
// What a report never holds: a write-only attribute's value (an LDAP
// userPassword) or a sensitive value. What it neutralises: CSV cells a
// spreadsheet would run as a formula get a leading single quote; HTML
// cells are escaped. A filter that fails for one object is that object's
// error; the others go on. It records the file it wrote and its row count
// in the run's output ("report", "rows"), so that what follows the run
// can find it; in preview and dry_run it writes nothing and records what
// it would have written.
//
// The pieces: table.go is the rows-and-columns model every source fills
// and every format renders; users.go, shadows.go, situations.go and
// summary.go are the sources; csv.go, json.go and html.go the formats;
// write.go the atomic write.
//
// Neighbours: engine/activity is the interface it implements;
// engine/runner registers it as the "report" type
// (runner.DefaultActivities); config holds its settings
// (config.ReportSettings); state holds its read-only queries (report.go).
package report
