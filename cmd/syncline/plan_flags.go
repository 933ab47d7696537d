package main

import (
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/urfave/cli/v3"
)

// loadStrict loads dir for planning: every variable must have a value.
// Diagnostics are printed; the error only ends the command.
func (a *app) loadStrict(dir string, cmd *cli.Command) (*config.Config, error) {
	lc, err := a.loadSourceStrict(ops.DirSource(dir), cmd.StringSlice("var"), cmd.StringSlice("var-file"))
	if err != nil {
		return nil, err
	}
	return lc.Config, nil
}

// planFlags are the options plan and apply share.
func planFlags() []cli.Flag {
	flags := append([]cli.Flag{
		stateFlag(),
		allowDestroyFlag(),
	}, gitFlags()...)
	return append(flags, variableFlags()...)
}
