package sqltable

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/syncline/syncline/engine/connector"
)

// mysqlDialect is MySQL and MariaDB through go-sql-driver.
type mysqlDialect struct{}

func (mysqlDialect) open(dsn string, _ bool) (*sql.DB, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ParseTime = true            // DATETIME as time.Time, for change columns
	cfg.ClientFoundRows = true      // UPDATE counts matched rows, not changed ones
	cfg.Logger = &mysql.NopLogger{} // errors are returned; the driver's stderr log would only repeat them
	if cfg.Timeout == 0 {
		cfg.Timeout = connectTimeout
	}
	c, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(guarded{c}), nil
}

func (mysqlDialect) secrets(dsn string) []string {
	var out []string
	if cfg, err := mysql.ParseDSN(dsn); err == nil {
		out = append(out, cfg.Passwd, cfg.User, cfg.Addr, cfg.DBName)
	}
	return out
}

// address says no more than the driver: the host and the database are
// parts of the DSN, which is sensitive as a whole.
func (mysqlDialect) address(string) string { return "mysql database (dsn)" }

func (mysqlDialect) quote(ident string) string { return quoteWith("`", ident) }
func (mysqlDialect) placeholder(int) string    { return "?" }
func (mysqlDialect) forUpdate() string         { return " FOR UPDATE" }

func (mysqlDialect) changeExpr(col, _ string) string { return col }

// mysqlCreateCollation is the collation of the tables create_table
// creates.
const mysqlCreateCollation = "utf8mb4_bin"

// createTable makes the key a VARCHAR(255) (a TEXT column cannot be a
// primary key) and the other columns TEXT, in utf8mb4 with a binary
// collation: keys compare by code point, as on PostgreSQL and SQLite, so
// "Jiří" and "jiri" are different keys — but for trailing spaces, which
// utf8mb4_bin (PAD SPACE) ignores.
func (d mysqlDialect) createTable(table, key string, cols []string) string {
	return createStatement(d.quote, table, key, "VARCHAR(255)", cols, "TEXT", " DEFAULT CHARSET=utf8mb4 COLLATE="+mysqlCreateCollation)
}

// keyRule follows the key column's collation: see collationRule.
func (mysqlDialect) keyRule(_ context.Context, _ *sql.DB, _ string, key column) (keyRule, error) {
	return collationRule(key.collation), nil
}

func (mysqlDialect) createdKeyRule() keyRule { return collationRule(mysqlCreateCollation) }

// collationRule is how a MySQL or MariaDB collation matches strings, read
// from its name. A name ending in _ci is case-insensitive (_bin, _cs and
// the rest are not): keyFold, lower case. Every collation is PAD SPACE,
// ignoring trailing spaces, but MariaDB's _nopad_ ones and MySQL 8's
// _0900_ ones. binary (BINARY, VARBINARY, BLOB) and none (a number
// column) compare exactly.
//
// Accent-insensitive collations (utf8mb4_general_ci, _ai_ci) also take
// "é" for "e", and some "ß" for "ss"; syncline matches by case and
// trailing spaces only.
func collationRule(name string) keyRule {
	name = strings.ToLower(name)
	if name == "" || name == "binary" {
		return keyExact
	}
	r := keyExact
	if !strings.Contains(name, "_nopad_") && !strings.Contains(name, "_0900_") {
		r |= keyTrim
	}
	if strings.HasSuffix(name, "_ci") {
		r |= keyFold
	}
	return r
}

func (mysqlDialect) defaultSchema(ctx context.Context, db *sql.DB) (string, error) {
	var s sql.NullString
	err := db.QueryRowContext(ctx, `SELECT DATABASE()`).Scan(&s)
	if err == nil && !s.Valid {
		err = errors.New("the dsn names no database; write it as user@tcp(host:3306)/database, or set schema")
	}
	return s.String, err
}

func (mysqlDialect) columns(ctx context.Context, db *sql.DB, schema, table string) ([]column, error) {
	return queryColumns(ctx, db, `SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE = 'YES', COALESCE(COLLATION_NAME, ''), ''
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, schema, table)
}

func (mysqlDialect) tables(ctx context.Context, db *sql.DB, schema string) ([]string, error) {
	return queryStrings(ctx, db, `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`, schema)
}

func (mysqlDialect) version(ctx context.Context, db *sql.DB) (string, error) {
	var v string
	err := db.QueryRowContext(ctx, `SELECT VERSION()`).Scan(&v)
	if strings.Contains(v, "MariaDB") {
		return "MariaDB " + v, err
	}
	return "MySQL " + v, err
}

// kind sorts MySQL/MariaDB errors by error number.
func (mysqlDialect) kind(err error) error {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1062, 1586: // duplicate entry
			return connector.ErrAlreadyExists
		case 1146, 1054, 1049: // no such table, column, database
			return connector.ErrSchema
		case 1048, 1364, 1264, 1265, 1292, 1366, 1406, 1451, 1452, 3819, 4025: // NULL, range, truncation, bad value, foreign key, check
			return connector.ErrInvalidObject
		case 1040, 1044, 1045, 1053, 1152, 1184, 1927, 2002, 2003, 2006, 2013: // connections, access, shutdown, killed
			return connector.ErrUnreachable
		}
		return connector.ErrRejected
	}
	if errors.Is(err, mysql.ErrInvalidConn) {
		return connector.ErrUnreachable
	}
	return nil
}
