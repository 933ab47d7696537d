package main

import (
	"context"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/urfave/cli/v3"
)

const validateDescription = `Checks that the configuration in DIR (default: the current directory) is
valid: the HCL syntax, the blocks and arguments, the types of values and the
references between definitions. It reads only the configuration files; it
never contacts resources or reads the state.

Required variables without a value are allowed, so a configuration can be
validated in CI without its secrets.

With -repo PATH and/or -ref REV the configuration is read from a git
revision without a checkout (with -repo, DIR is a directory inside the
repository).

With -json, prints one object:
{"format_version": "1.0", "valid": bool, "error_count": N, "warning_count": N,
 "diagnostics": [...]} in the shape of "terraform validate -json".

Exit status: 0 when valid, 1 when not.`

func (a *app) validateCommand() *cli.Command {
	return &cli.Command{
		Name:        "validate",
		Usage:       "check whether the configuration is valid",
		UsageText:   "syncline validate [options] [DIR]",
		Description: validateDescription,
		Flags: append(append([]cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
		}, gitFlags()...), variableFlags()...),
		Action: a.validate,
	}
}

// variableFlags are the flags that give input variables a value.
func variableFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "var", Usage: "set variable `NAME=VALUE` (repeatable)"},
		&cli.StringSliceFlag{Name: "var-file", Usage: "read variable values from `FILE` (repeatable)", TakesFile: true},
	}
}

func (a *app) validate(ctx context.Context, cmd *cli.Command) error {
	src, err := a.configSource(cmd)
	if err != nil {
		return err
	}
	files, rev, diags := a.loadConfig(src, cmd)
	if cmd.Bool("json") {
		if err := views.WriteValidateJSON(a.stdout, files, diags); err != nil {
			return err
		}
	} else {
		a.showValidateResult(files, rev, diags)
	}
	if diags.HasErrors() {
		return exitStatus(exitError)
	}
	return nil
}

// loadConfig loads src for validation and returns the parsed sources and
// the revision (nil on disk) together with the diagnostics.
func (a *app) loadConfig(src ops.Source, cmd *cli.Command) (map[string]*hcl.File, *config.Revision, hcl.Diagnostics) {
	cfg, rev, diags := a.loadSource(src, config.LoadOptions{
		Vars:                cmd.StringSlice("var"),
		VarFiles:            cmd.StringSlice("var-file"),
		Environ:             a.environ,
		AllowUnsetVariables: true,
	})
	if cfg == nil {
		return nil, rev, diags
	}
	return cfg.Files, rev, diags
}

func (a *app) showValidateResult(files map[string]*hcl.File, rev *config.Revision, diags hcl.Diagnostics) {
	views.ValidateHuman(a.streams(), a.color, files, rev, diags)
}
