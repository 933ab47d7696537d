package sqltable

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/zclconf/go-cty/cty"
)

// Drivers.
const (
	Postgres = "postgres"
	MySQL    = "mysql"
	SQLite   = "sqlite"
)

// Change column types.
const (
	ChangeTimestamp = "timestamp"
	ChangeSequence  = "sequence"
)

// Config is a sql connection, decoded.
type Config struct {
	Driver string // Postgres, MySQL or SQLite
	// DSN is the data source name; for SQLite a file path (relative to
	// the working directory: Open makes it relative to the configuration
	// directory). It is a secret and never appears in messages.
	DSN    string
	Schema string // "" means the connection's default
	Table  string
	Key    string
	// Columns are the columns read and written; nil means all. The key
	// is always among them.
	Columns          []string
	ChangeColumn     string
	ChangeColumnType string // ChangeTimestamp (default) or ChangeSequence
	// CreateTable creates the table when it does not exist, on the first
	// operation that needs it (Test and writes): the key as its primary
	// key and Columns, every column text. For SQLite the database file is
	// created too, and only then. Columns is required with it and
	// ChangeColumn is refused; an existing table is never changed.
	CreateTable bool
}

// Open opens the sql connector of res.
func Open(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
	cfg, err := ConfigFrom(connector.NewSettings(res))
	if err != nil {
		return nil, err
	}
	if cfg.CreateTable, err = createTableSetting(res); err != nil {
		return nil, err
	}
	if cfg.Driver == SQLite && !filepath.IsAbs(cfg.DSN) {
		cfg.DSN = filepath.Join(opts.BaseDir, cfg.DSN)
	}
	return New(ctx, res.Name, cfg)
}

// ConfigFrom reads a sql connection's settings.
func ConfigFrom(s connector.Settings) (Config, error) {
	var cfg Config
	var err error
	for _, f := range []struct {
		name     string
		dst      *string
		required bool
	}{
		{"driver", &cfg.Driver, true}, {"dsn", &cfg.DSN, true}, {"table", &cfg.Table, true}, {"key", &cfg.Key, true},
		{"schema", &cfg.Schema, false}, {"change_column", &cfg.ChangeColumn, false}, {"change_column_type", &cfg.ChangeColumnType, false},
	} {
		if f.required {
			*f.dst, err = s.Required(f.name)
		} else {
			*f.dst, err = s.String(f.name)
		}
		if err != nil {
			return cfg, err
		}
	}
	cfg.Columns, err = s.Strings("columns")
	return cfg, err
}

// createTableSetting reads the create_table setting, false when unset.
// connector.Settings reads strings only; this follows its rules (unmarked
// here, an error while the value is unknown).
func createTableSetting(res *config.Resource) (bool, error) {
	errs := connector.ErrorBuilder{Resource: res.Name}
	v, ok := res.Connection.Attributes["create_table"]
	if !ok || v.IsNull() {
		return false, nil
	}
	if !v.IsWhollyKnown() {
		return false, errs.New(connector.ErrConfig, "open", fmt.Errorf("the create_table setting has no value yet"),
			"Give every variable the connection uses a value (with -var, -var-file or SYNCLINE_VAR_name).")
	}
	v, _ = v.UnmarkDeep()
	if !v.Type().Equals(cty.Bool) {
		return false, errs.New(connector.ErrConfig, "open", fmt.Errorf("the create_table setting must be true or false"), "")
	}
	return v.True(), nil
}

// check reports settings that are wrong on their own.
func (cfg Config) check() error {
	switch {
	case !slices.Contains([]string{Postgres, MySQL, SQLite}, cfg.Driver):
		return fmt.Errorf("unknown driver %q; use postgres, mysql or sqlite", cfg.Driver)
	case cfg.DSN == "":
		return fmt.Errorf("dsn is required")
	case cfg.Table == "":
		return fmt.Errorf("table is required")
	case cfg.Key == "":
		return fmt.Errorf("key is required")
	case cfg.ChangeColumnType != "" && cfg.ChangeColumnType != ChangeTimestamp && cfg.ChangeColumnType != ChangeSequence:
		return fmt.Errorf("change_column_type must be %q or %q, not %q", ChangeTimestamp, ChangeSequence, cfg.ChangeColumnType)
	case cfg.CreateTable && len(cfg.Columns) == 0:
		return fmt.Errorf("create_table needs columns: the columns to create besides the key")
	case cfg.CreateTable && cfg.ChangeColumn != "":
		return fmt.Errorf("create_table cannot create the change column %q: nothing would move it forward; create the table yourself, or remove change_column", cfg.ChangeColumn)
	case cfg.CreateTable && slices.Contains(cfg.Columns, ""):
		return fmt.Errorf("create_table cannot create a column without a name; remove the empty string from columns")
	}
	names := append([]string{cfg.Schema, cfg.Table, cfg.Key, cfg.ChangeColumn}, cfg.Columns...)
	for _, n := range names {
		if strings.ContainsRune(n, 0) {
			return fmt.Errorf("the name %q contains a NUL character", n)
		}
	}
	return nil
}
