package asyncupdate

import (
	"context"
	"errors"

	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/synchronization"
)

// Activity is the async_update activity: it consumes the activity's
// queue and processes each message as synchronization.AsyncUpdate says.
type Activity struct{}

// Run opens the queue and consumes it until max_messages, idle_timeout, a
// policy stop or the run's end.
func (Activity) Run(ctx context.Context, ac *activity.Context) error {
	u := ac.Activity.AsyncUpdate
	if u == nil {
		return errors.New("async_update: the activity has no queue settings")
	}
	src, err := Open(ctx, *u, ac.Clock, ac.Log)
	if err != nil {
		return err
	}
	defer src.Close()
	return synchronization.AsyncUpdate(ctx, activity.SyncJob(ac), src)
}
