package main

import (
	"context"
	"github.com/syncline/syncline/internal/views"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/urfave/cli/v3"
)

const initDescription = `Creates the state store for the configuration in DIR (default: the current
directory) and gives it a lineage: the identity that saved plans are checked
against. The store is the syncline block's state setting, or -state, or
DIR/.syncline/state.db. Running init again changes nothing.`

func (a *app) initCommand() *cli.Command {
	return &cli.Command{
		Name:        "init",
		Usage:       "create the state store",
		UsageText:   "syncline init [options] [DIR]",
		Description: initDescription,
		Flags:       append([]cli.Flag{stateFlag()}, variableFlags()...),
		Action:      a.initAction,
	}
}

func (a *app) initAction(ctx context.Context, cmd *cli.Command) error {
	dir, err := dirArg(cmd)
	if err != nil {
		return err
	}
	// Only the syncline block matters here; a configuration that is still
	// being written may be initialized.
	cfg, _ := a.loadDir(dir, config.LoadOptions{Environ: a.environ, AllowUnsetVariables: true,
		Vars: cmd.StringSlice("var"), VarFiles: cmd.StringSlice("var-file")})
	location := ops.StateLocation(cmd.String("state"), dir, cfg.Settings)
	st, err := a.openStore(ctx, location, false)
	if err != nil {
		return err
	}
	defer st.Close()
	lineage, created, err := st.Init(ctx)
	if err != nil {
		return err
	}
	views.Initialized(a.stdout, st.Path(), lineage, created)
	return nil
}
