package builtin

import (
	"context"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/csvfile"
	"github.com/syncline/syncline/engine/connector/ldap"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

// Registry maps connector names to the connectors compiled in.
var Registry = connector.Registry{
	"csv":  csvfile.Open,
	"sql":  sqltable.Open,
	"ldap": ldap.Open,
}

// DataFilesRegistry maps connector names to the connectors' optional
// connector.DataFilesFunc capability: csv names its file. The sql
// connector is not in it, not even for sqlite: runs write the database
// file, and up -watch must not take that for an edit.
var DataFilesRegistry = connector.DataFilesRegistry{
	"csv": csvfile.DataFiles,
}

// WriteOnlyRegistry maps connector names to their optional
// connector.WriteOnlyFunc: ldap's userPassword and the like.
var WriteOnlyRegistry = connector.WriteOnlyRegistry{
	"ldap": ldap.WriteOnly,
}

// WriteOnly reports whether attr is write-only on res (see
// connector.WriteOnlyFunc).
func WriteOnly(res *config.Resource, attr string) bool {
	return WriteOnlyRegistry.WriteOnly(res, attr)
}

// DataFiles are the local files res's data lives in, as its built-in
// connector says (see connector.DataFilesFunc).
func DataFiles(res *config.Resource, opts connector.Options) []string {
	return DataFilesRegistry.DataFiles(res, opts)
}

// Open opens the connector of res with the registry of built-in
// connectors.
func Open(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
	return Registry.Open(ctx, res, opts)
}
