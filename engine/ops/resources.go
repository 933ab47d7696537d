package ops

import (
	"context"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/builtin"
)

// creator is a connector that may create what it connects to (the sql
// connector with create_table): Created says what the connector created,
// "" for nothing.
type creator interface{ Created() string }

// TestResource opens the resource's connector, relative to the
// configuration directory, and runs its connection test; created says
// what the test created, if anything.
func TestResource(ctx context.Context, res *config.Resource, dir string) (r *connector.TestResult, created string, err error) {
	c, err := builtin.Open(ctx, res, connector.Options{BaseDir: dir})
	if err != nil {
		return nil, "", err
	}
	defer c.Close()
	r, err = c.Test(ctx)
	if cr, ok := c.(creator); ok {
		created = cr.Created()
	}
	return r, created, err
}
