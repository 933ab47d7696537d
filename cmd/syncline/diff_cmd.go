package main

import (
	"context"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/urfave/cli/v3"
)

const diffDescription = `Shows how the definitions change from git revision BASE to revision HEAD
— what applying HEAD would do to a state that holds BASE — for reviewing a
pull request. It reads both revisions straight from the repository (no
checkout) and needs no state store and no secrets: a sensitive variable
without a value compares equal on both sides and is shown as "(sensitive
value)". Of the environment only SYNCLINE_VAR_name is read; env() in the
configuration compares the same way, so a branch cannot read the CI job's
environment. Other variables without a default need -var or -var-file.

BASE and HEAD are branches, tags, commits or expressions such as HEAD~1.
A BASE without configuration (the directory is missing, or holds no *.hcl
files) counts as empty, so a branch that adds the configuration shows
everything as created.

The output looks like a plan, in the same three views: text (default), json
(docs/plan-format.md; "revision" is HEAD's commit and "prior" BASE's
definitions) and markdown — titled "Syncline diff BASE..HEAD" and cut to fit
GitHub's 65,536-character comment limit — for a pull-request comment.
Reviewer notes call out removed tasks, tasks switched from preview to full,
thresholds raised or removed and changed resource connections.

With -state PATH, diff also shows HEAD's identity impact over the users and
shadows of that state (read-only; it should hold what BASE applied, and the
impact says so when it does not): which users and accounts the merge would
touch. The samples show people's data and HEAD's mappings choose what is
computed from it, so give a state only for trusted branches. -fail-on-impact
EXPR exits 1 when the impact meets EXPR.

-repo defaults to the repository of the current directory, and -path to the
current directory's place in it.

Exit status: 0 success; 1 error. With -detailed-exitcode: 0 no changes,
1 error, 2 changes present.`

func (a *app) diffCommand() *cli.Command {
	return &cli.Command{
		Name:        "diff",
		Usage:       "show how the definitions change between two git revisions",
		UsageText:   "syncline diff [options] BASE HEAD",
		Description: diffDescription,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "repo", TakesFile: true,
				Usage: "the git repository at `PATH` (a work tree or a bare repository; default: the one the current directory is in)"},
			&cli.StringFlag{Name: "path", Usage: "the configuration `DIR` inside the repository (default: where the current directory is, or the top with -repo)"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text, json or markdown"},
			&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when there are changes, 0 when none"},
			&cli.StringFlag{Name: "state", TakesFile: true,
				Usage: "evaluate HEAD's identity impact over the repository of the state store at `PATH` (read-only)"},
		}, append(variableFlags(), impactFlags()...)...),
		Action: a.diffAction,
	}
}

func (a *app) diffAction(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() != 2 {
		return newUsageError(cmd, "expected two revisions, BASE and HEAD, such as: syncline diff main feature")
	}
	view, err := a.planView(cmd)
	if err != nil {
		return err
	}
	impact, policy, err := impactOptions(cmd)
	if err != nil {
		return err
	}
	res, err := ops.Diff(ops.DiffOptions{Repo: cmd.String("repo"), Path: cmd.String("path"), WorkDir: ".",
		Base: cmd.Args().Get(0), Head: cmd.Args().Get(1), Vars: cmd.StringSlice("var"), VarFiles: cmd.StringSlice("var-file"),
		Environ: a.environ, Clock: a.clock()}, a.reporter(nil, nil))
	if err != nil {
		return a.reported(err)
	}
	if state := cmd.String("state"); state != "" {
		if err := ops.DiffImpact(ctx, res, state, impact); err != nil {
			return err
		}
	}
	if err := view.Diff(res.Plan, diffSide(res.Base), diffSide(res.Head)); err != nil {
		return err
	}
	if err := checkImpact(res.Plan, policy); err != nil {
		return err
	}
	if cmd.Bool("detailed-exitcode") && res.Plan.HasChanges() {
		return exitStatus(exitChanges)
	}
	return nil
}

// diffSide is the side as the views name it.
func diffSide(s ops.DiffSide) views.DiffSide {
	return views.DiffSide{Ref: s.Ref, Short: s.Revision.Short, Empty: s.Empty}
}
