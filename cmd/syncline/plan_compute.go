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
	cfg      *config.Config
	location string // state store location
	desired  map[string]*state.Definition
	plan     *planner.Plan
}

// loadStrict loads dir for planning: every variable must have a value.
// Diagnostics are printed; the error only ends the command.
func (a *app) loadStrict(dir string, cmd *cli.Command) (*config.Config, error) {
	return a.loadStrictWith(dir, cmd.StringSlice("var"), cmd.StringSlice("var-file"))
}

func (a *app) loadStrictWith(dir string, vars, varFiles []string) (*config.Config, error) {
	cfg, diags := a.loadDir(dir, config.LoadOptions{Vars: vars, VarFiles: varFiles, Environ: a.environ})
	a.showDiagnostics(cfg.Files, diags)
	if diags.HasErrors() {
		return nil, exitStatus(exitError)
	}
	return cfg, nil
}

// computePlan loads dir and plans it against snapshot, the state read
// before (apply reads it under the lock).
func (a *app) computePlan(cfg *config.Config, dir string, snap *state.Snapshot, cmd *cli.Command) (*planned, error) {
	desired, err := planner.Desired(cfg, "")
	if err != nil {
		return nil, err
	}
	p, err := planner.Compute(desired, snap, planner.Options{
		Now:          time.Now(),
		AllowDestroy: cmd.Bool("allow-destroy"),
		Moves:        planner.MovesFromConfig(cfg),
	})
	if err != nil {
		return nil, err
	}
	return &planned{dir: dir, cfg: cfg, desired: desired, plan: p}, nil
}

// readSnapshot reads the state for planning without writing anything: a
// store that does not exist yet is an empty snapshot.
func readSnapshot(ctx context.Context, location string) (*state.Snapshot, error) {
	if _, err := os.Stat(location); errors.Is(err, fs.ErrNotExist) {
		return emptySnapshot(), nil
	}
	st, err := state.Open(ctx, location, state.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Snapshot(ctx)
}

func emptySnapshot() *state.Snapshot {
	return &state.Snapshot{Definitions: map[string]*state.Definition{}, ShadowCounts: map[string]int{}}
}

// planFlags are the options plan and apply share.
func planFlags() []cli.Flag {
	return append([]cli.Flag{
		stateFlag(),
		&cli.BoolFlag{Name: "allow-destroy", Usage: "allow removing or replacing a resource that still has shadows"},
	}, variableFlags()...)
}
