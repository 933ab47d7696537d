// Package sqltable is the sql connector: a resource that is one table in
// PostgreSQL (github.com/jackc/pgx/v5), MySQL or MariaDB
// (github.com/go-sql-driver/mysql) or SQLite (modernc.org/sqlite), reached
// through database/sql. Each row is an object, identified by its key
// column; every column is a single-valued attribute.
//
// On opening, the connector reads the table's columns from
// information_schema (pragma_table_info on SQLite) and refuses a table,
// key, column or change column that does not exist, suggesting the nearest
// name. Every statement is built from those names, quoted for the dialect
// (double quotes, or backticks on MySQL, with embedded quotes doubled);
// every value is a bound parameter. Search pages by key (WHERE key > ?
// ORDER BY key LIMIT n), holding one page at a time and no connection
// between pages. The change feed reads rows whose change_column (a
// timestamp or a sequence) passed the token's position.
//
// MatchKey (connector.KeyMatcher) matches keys as the key column compares
// them, by a rule read once at opening: a MySQL collation's name (_ci
// folds case, PAD SPACE ignores trailing spaces), PostgreSQL's citext and
// char(n), SQLite's NOCASE and RTRIM (asked of SQLite itself).
//
// With create_table (Config.CreateTable) a missing table is not an error
// at opening: the first operation that needs it (Test, Create, Update,
// Delete) creates it — the key as its primary key and the listed columns,
// all text — and, for SQLite, the database file too; Search and Get read
// a missing table as an empty one and create nothing. An existing table
// is never altered.
//
// Driver errors are sorted into the connector error kinds (a unique
// violation is ErrAlreadyExists, a refused or dropped connection
// ErrUnreachable) and cleaned of the data source name and password before
// they reach a message.
//
// Neighbours: engine/connector defines the contract; connectortest is the
// conformance suite this package runs against all three databases.
package sqltable
