package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/syncline/syncline/engine"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const serveDescription = `Runs the scheduler and a pool of workers for the configuration in DIR
(default: the current directory) until interrupted: fires schedules, starts
runs queued by syncline run -detach, retries, and "after" chains, and
recovers runs whose worker died.

serve runs what was applied: it re-reads the state every few seconds and
reloads DIR when another process applied a change. Next fire times and runs
live in the state store, so a restarted serve loses and duplicates nothing.

On SIGINT or SIGTERM it stops claiming work, lets running runs finish within
-grace, then interrupts the rest (they are re-queued on the next start) and
exits.

With -sync, serve also follows the git repository of the configuration's
syncline { sync { ... } } block: it runs what syncline sync does (fetch,
plan, apply per the sync policy) at start, every poll_interval (default 1m)
and on every webhook push, one sync at a time. With -listen ADDR it serves
the push webhook on http://ADDR/hooks/git for GitHub, GitLab, Gitea and
generic HMAC-SHA256 pushes, checked against webhook_secret; a valid push to
the followed branch starts a sync at once. See docs/gitops.md.`

func (a *app) serveCommand() *cli.Command {
	return &cli.Command{
		Name:        "serve",
		Usage:       "run the scheduler and workers until interrupted",
		UsageText:   "syncline serve [options] [DIR]",
		Description: serveDescription,
		Flags: append([]cli.Flag{
			stateFlag(),
			&cli.IntFlag{Name: "workers", Value: engine.DefaultWorkers, Usage: "run at most `N` runs at once"},
			&cli.DurationFlag{Name: "grace", Value: 10 * time.Second, Usage: "on shutdown, let running runs finish for `DURATION`"},
			&cli.DurationFlag{Name: "poll", Value: 2 * time.Second, Usage: "look for applies and queued runs every `DURATION`"},
			&cli.BoolFlag{Name: "sync", Usage: "also sync the repository of the sync block every poll_interval and on webhook pushes"},
			&cli.StringFlag{Name: "listen", Usage: "with -sync, serve the push webhook on `ADDR` (e.g. 127.0.0.1:8080) at /hooks/git"},
		}, variableFlags()...),
		Action: a.serveAction,
	}
}

func (a *app) serveAction(ctx context.Context, cmd *cli.Command) error {
	dir, err := dirArg(cmd)
	if err != nil {
		return err
	}
	if cmd.Int("workers") < 1 {
		return newUsageError(cmd, "-workers must be at least 1")
	}
	if cmd.String("listen") != "" && !cmd.Bool("sync") {
		return newUsageError(cmd, "-listen serves the push webhook, which triggers syncs: give -sync too")
	}
	cfg, err := a.loadStrict(dir, cmd)
	if err != nil {
		return err
	}
	location := ops.StateLocation(cmd.String("state"), dir, cfg.Settings)
	logger := slog.New(slog.NewTextHandler(a.stderr, nil))
	var syncer *serveSyncer
	if cmd.Bool("sync") {
		if syncer, err = a.newServeSyncer(cfg.Settings, dir, location, cmd.StringSlice("var"), cmd.StringSlice("var-file"), logger); err != nil {
			return err
		}
		if cmd.String("listen") != "" && syncer.follow.Load().secret == "" {
			return errors.New("serve -listen needs a webhook secret: set syncline { sync { webhook_secret = ... } }; an unsigned webhook would let anyone trigger syncs")
		}
	}
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	scfg := engine.ServerConfig{
		Store: st, Dir: dir, LoadOptions: a.loadOptions(cmd), Workers: int(cmd.Int("workers")),
		PollInterval: cmd.Duration("poll"), GracePeriod: cmd.Duration("grace"), Logger: logger,
	}
	var extra func(context.Context) (func(), error)
	if syncer != nil {
		scfg.ConfigDir = func(ctx context.Context, snap *state.Snapshot) string { return syncer.configDir(ctx, st, snap) }
		extra = a.startSyncer(cmd.String("listen"), syncer, logger)
	}
	srv, err := engine.NewServer(scfg)
	if err != nil {
		return err
	}
	return a.serveUntilSignal(ctx, srv, logger, location, extra)
}

// startSyncer returns the function that starts serve -sync's work: the
// webhook listener (when listen is set) and the sync loop.
func (a *app) startSyncer(listen string, syncer *serveSyncer, logger *slog.Logger) func(context.Context) (func(), error) {
	return func(ctx context.Context) (func(), error) {
		waitHTTP := func() {}
		if listen != "" {
			var err error
			if waitHTTP, err = a.listenWebhook(ctx, listen, syncer, logger); err != nil {
				return nil, err
			}
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			syncer.loop(ctx)
		}()
		return func() { waitHTTP(); <-done }, nil
	}
}

// serveUntilSignal runs srv until ctx ends or a signal arrives; extra, if
// not nil, starts more work (serve -sync) that stops when its context ends,
// and returns a function that waits for it.
func (a *app) serveUntilSignal(ctx context.Context, srv *engine.Server, logger *slog.Logger, location string, extra func(context.Context) (func(), error)) error {
	sigCtx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "syncline serve: scheduling the tasks applied to %s; press Ctrl-C to stop.\n", location)
	if extra != nil {
		wait, err := extra(sigCtx)
		if err != nil {
			stop()
			_ = srv.Stop(context.WithoutCancel(ctx))
			return err
		}
		defer wait()
	}
	<-sigCtx.Done()
	logger.Info("stopping: no new runs are claimed; waiting for running runs")
	if err := srv.Stop(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}
