package main

import (
	"context"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/engine/watch"
)

// upWatch keeps opts.Dir up: on every saved change to a watched file it
// applies again and re-runs the tasks whose fingerprint changed. It
// returns when ctx ends (Ctrl-C).
func (a *app) upWatch(ctx context.Context, opts ops.UpOptions, round *ops.UpResult) error {
	cfg, prints := round.Config, round.Fingerprints
	w := &watch.Watcher{
		Dir:    opts.Dir,
		Files:  func() watch.Files { return opts.WatchedFiles(cfg) },
		Errors: func(err error) { a.reportRoundError(err) },
		// Said once the files are followed and their contents taken: a
		// change saved after it starts a round.
		Ready: func() { a.upView().Watching(opts.Dir) },
	}
	return w.Run(ctx, func(ctx context.Context) {
		a.upView().RoundStarts(a.clock().Now())
		before := prints
		round, err := a.upRound(ctx, opts, func(now map[string]string) map[string]bool {
			return ops.ChangedTasks(before, now)
		})
		if err != nil {
			a.reportRoundError(err)
		}
		if round.Config != nil {
			cfg = round.Config
		}
		if round.Fingerprints != nil {
			prints = round.Fingerprints
		}
	})
}
