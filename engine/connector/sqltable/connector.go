package sqltable

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"

	"github.com/syncline/syncline/engine/connector"
)

// Connector is the sql connector for one table.
type Connector struct {
	cfg     Config
	d       dialect
	db      *sql.DB
	errs    connector.ErrorBuilder
	secrets []string

	schema string   // the schema that holds the table, resolved
	table  string   // the table, quoted and qualified with its schema
	attrs  []column // the columns read and written, the key among them
	key    int      // index of the key in attrs
	change *column  // the change column, or nil

	// match is the keyRule MatchKey follows: set before New returns, and
	// again by ensureTable when it finds the table.
	match atomic.Uint32

	// missing says the table did not exist at open and create_table is
	// set: attrs and key are not known yet. ensureTable creates the table
	// (or finds it created meanwhile), sets them under mu and then clears
	// missing.
	missing atomic.Bool
	mu      sync.Mutex
	noFile  bool   // SQLite: the database file did not exist either (under mu)
	created string // what this connector created, for Created (under mu)
}

var (
	_ connector.Connector  = (*Connector)(nil)
	_ connector.ChangeFeed = (*Connector)(nil)
	_ connector.KeyMatcher = (*Connector)(nil)
)

// New connects to the database, reads the table's columns and checks the
// settings against them.
func New(ctx context.Context, resource string, cfg Config) (*Connector, error) {
	if cfg.ChangeColumn != "" && cfg.ChangeColumnType == "" {
		cfg.ChangeColumnType = ChangeTimestamp
	}
	c := &Connector{cfg: cfg, d: dialectFor(cfg.Driver), errs: connector.ErrorBuilder{Resource: resource}}
	if err := cfg.check(); err != nil {
		return nil, c.errs.New(connector.ErrConfig, "open", err, "")
	}
	c.secrets = secretsOf(c.d, cfg.DSN)
	if cfg.Driver == SQLite && cfg.CreateTable {
		_, err := os.Stat(cfg.DSN)
		c.noFile = errors.Is(err, fs.ErrNotExist)
	}
	db, err := c.d.open(cfg.DSN, c.noFile)
	if err != nil {
		kind := c.d.kind(err)
		if kind == nil {
			kind = connector.ErrConfig
		}
		cause := c.redact(err) // SQLite: open's own words, which name no path
		if cfg.Driver != SQLite {
			cause = parseFailure(cfg.Driver, c.d.parseReason(cfg.DSN, err))
		}
		return nil, c.errs.New(kind, "open", cause, c.hint(kind))
	}
	c.db = db
	if err := c.resolve(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return c, nil
}

// Resource returns the resource's name.
func (c *Connector) Resource() string { return c.errs.Resource }

// Capabilities: everything but multi-valued attributes; live sync with a
// change column, without deletions (a deleted row leaves no trace).
func (c *Connector) Capabilities() connector.Capabilities {
	return connector.Capabilities{
		Read: true, Create: true, Update: true, Delete: true, Rename: true, Batch: true,
		LiveSync: c.change != nil,
	}
}

// Created says what the connector created because create_table is set —
// "table "main"."accounts"", or "database file and table …" for a new
// SQLite file — or "" when it created nothing.
func (c *Connector) Created() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.created
}

// Close closes the database handle.
func (c *Connector) Close() error { return c.db.Close() }

// keyColumn returns the quoted key column.
func (c *Connector) keyColumn() string { return c.d.quote(c.attrs[c.key].name) }
