package main

import (
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/urfave/cli/v3"
)

// gitFlags are the options that read the configuration from a git
// revision: validate, plan and apply take them.
func gitFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "repo", TakesFile: true,
			Usage: "read the configuration from the git repository at `PATH` (a work tree or a bare repository), not from the files on disk; DIR is then a directory inside the repository"},
		&cli.StringFlag{Name: "ref",
			Usage: "the git revision `REV` to read: a branch, tag or commit (default HEAD); without -repo, the repository of the current directory"},
	}
}

// configSource reads DIR, -repo and -ref (see ops.ResolveSource).
func (a *app) configSource(cmd *cli.Command) (ops.Source, error) {
	dir, err := dirArg(cmd)
	if err != nil {
		return ops.Source{}, err
	}
	return ops.ResolveSource(dir, cmd.String("repo"), cmd.String("ref"))
}

// loader loads configurations through a.loadDir.
func (a *app) loader() ops.Loader {
	return ops.Loader{LoadDir: a.loadDir, Environ: a.environ, Clock: a.clock()}
}

// loadSource loads the configuration from src; the revision is nil for a
// directory on disk.
func (a *app) loadSource(src ops.Source, opts config.LoadOptions) (*config.Config, *config.Revision, hcl.Diagnostics) {
	return a.loader().Load(src, opts)
}

// loadSourceStrict loads src for planning: every variable must have a
// value. Diagnostics are printed; the error only ends the command.
func (a *app) loadSourceStrict(src ops.Source, vars, varFiles []string) (*ops.Loaded, error) {
	lc, err := a.loader().LoadStrict(src, vars, varFiles, a.reporter(nil, nil))
	return lc, a.reported(err)
}

// refuseGitWithPlanFile stops -repo/-ref given together with a saved plan:
// the plan file records the repository and commit it was made from.
func refuseGitWithPlanFile(cmd *cli.Command, arg string) error {
	if cmd.String("repo") == "" && cmd.String("ref") == "" {
		return nil
	}
	if info, err := os.Stat(arg); err == nil && !info.IsDir() {
		return newUsageError(cmd, "-repo and -ref cannot be used with a plan file: %s records the repository and commit it was made from", arg)
	}
	return nil
}
