package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/syncline/syncline/engine"
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
exits.`

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
	cfg, err := a.loadStrict(dir, cmd)
	if err != nil {
		return err
	}
	location := stateLocation(cmd.String("state"), dir, cfg.Settings)
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	logger := slog.New(slog.NewTextHandler(a.stderr, nil))
	srv, err := engine.NewServer(engine.ServerConfig{
		Store: st, Dir: dir, LoadOptions: a.loadOptions(cmd), Workers: int(cmd.Int("workers")),
		PollInterval: cmd.Duration("poll"), GracePeriod: cmd.Duration("grace"), Logger: logger,
	})
	if err != nil {
		return err
	}
	return a.serveUntilSignal(ctx, srv, logger, location)
}

func (a *app) serveUntilSignal(ctx context.Context, srv *engine.Server, logger *slog.Logger, location string) error {
	sigCtx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "syncline serve: scheduling the tasks applied to %s; press Ctrl-C to stop.\n", location)
	<-sigCtx.Done()
	logger.Info("stopping: no new runs are claimed; waiting for running runs")
	if err := srv.Stop(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}
