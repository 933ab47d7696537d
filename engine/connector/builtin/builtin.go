package builtin

import (
	"context"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/csvfile"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

// Registry maps connector names to the connectors compiled in.
var Registry = connector.Registry{
	"csv": csvfile.Open,
	"sql": sqltable.Open,
}

// Open opens the connector of res with the registry of built-in
// connectors.
func Open(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
	return Registry.Open(ctx, res, opts)
}
