package ops

import (
	"context"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/notify"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// DeliverNotifications delivers the notifications due now — those of the
// runs that just ended, and any an earlier command left — one attempt
// each, as syncline run and up do before they exit. What is not
// delivered stays queued in the state: syncline serve, or the next
// command, tries it again after its backoff.
func DeliverNotifications(ctx context.Context, st *state.Store, cat *catalog.Catalog, clk clock.Clock) ([]notify.Delivery, error) {
	d := &notify.Dispatcher{Store: st, Config: func() *config.Config { return cat.Config() }, Dir: cat.Dir(),
		ID: runner.WorkerPrefix() + ":notify", Clock: clk}
	return d.DeliverDue(ctx)
}
