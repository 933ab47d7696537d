package sqltable

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
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
}

// Open opens the sql connector of res.
func Open(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
	cfg, err := ConfigFrom(connector.NewSettings(res))
	if err != nil {
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
	}
	names := append([]string{cfg.Schema, cfg.Table, cfg.Key, cfg.ChangeColumn}, cfg.Columns...)
	for _, n := range names {
		if strings.ContainsRune(n, 0) {
			return fmt.Errorf("the name %q contains a NUL character", n)
		}
	}
	return nil
}
