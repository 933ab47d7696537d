package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

// planned is a configuration loaded and diffed against the state: what plan
// shows and apply carries out.
type planned struct {
	dir      string
	src      configSource
	rev      *config.Revision // nil for a directory on disk
	cfg      *config.Config
	location string // state store location
	key      state.SecretKey
	desired  map[string]*state.Definition
	plan     *planner.Plan
}

// loadStrict loads dir for planning: every variable must have a value.
// Diagnostics are printed; the error only ends the command.
func (a *app) loadStrict(dir string, cmd *cli.Command) (*config.Config, error) {
	lc, err := a.loadSourceStrict(dirSource(dir), cmd.StringSlice("var"), cmd.StringSlice("var-file"))
	if err != nil {
		return nil, err
	}
	return lc.cfg, nil
}

// computePlan plans a loaded configuration against snapshot, the state
// read before (apply reads it under the lock). A configuration from git
// records its commit on the plan and on every definition.
func (a *app) computePlan(lc *loadedConfig, snap *state.Snapshot, runtime []state.TaskRuntime, cmd *cli.Command) (*planned, error) {
	return planConfig(lc, snap, runtime, cmd.Bool("allow-destroy"))
}

// planConfig plans lc against snap; allowDestroy lets it remove or replace
// a resource that still has shadows.
func planConfig(lc *loadedConfig, snap *state.Snapshot, runtime []state.TaskRuntime, allowDestroy bool) (*planned, error) {
	desired, err := planner.Desired(lc.cfg, lc.commit(), snap.Key)
	if err != nil {
		return nil, err
	}
	p, err := planner.Compute(desired, snap, planner.Options{
		Now:          time.Now(),
		AllowDestroy: allowDestroy,
		Moves:        planner.MovesFromConfig(lc.cfg),
		Revision:     lc.commit(),
		Runtime:      runtime,
		EphemeralKey: snap.KeyEphemeral,
	})
	if err != nil {
		return nil, err
	}
	return &planned{dir: lc.src.dir, src: lc.src, rev: lc.rev, cfg: lc.cfg, key: snap.Key, desired: desired, plan: p}, nil
}

// readSnapshot reads the state for planning without writing anything: a
// store that does not exist yet is an empty snapshot. The tasks' runtime
// comes along, for drift.
func readSnapshot(ctx context.Context, location string) (*state.Snapshot, []state.TaskRuntime, error) {
	if err := state.CheckLocation(location); err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(location); errors.Is(err, fs.ErrNotExist) {
		return emptySnapshot(), nil, nil
	}
	st, err := state.Open(ctx, location, state.Options{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	return readPlanInputs(ctx, st)
}

func readPlanInputs(ctx context.Context, st *state.Store) (*state.Snapshot, []state.TaskRuntime, error) {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	runtime, err := st.TaskRuntimes(ctx)
	return snap, runtime, err
}

// emptySnapshot stands for a store that does not exist yet; its key is
// made for this invocation.
func emptySnapshot() *state.Snapshot {
	return &state.Snapshot{Definitions: map[string]*state.Definition{}, ShadowCounts: map[string]int{},
		Key: state.EphemeralKey(), KeyEphemeral: true}
}

// planFlags are the options plan and apply share.
func planFlags() []cli.Flag {
	flags := append([]cli.Flag{
		stateFlag(),
		&cli.BoolFlag{Name: "allow-destroy", Usage: "allow removing or replacing a resource that still has shadows"},
	}, gitFlags()...)
	return append(flags, variableFlags()...)
}
