package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
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
		}, variableFlags()...),
		Action: a.diffAction,
	}
}

// diffSide is one loaded revision; empty when it holds no configuration.
type diffSide struct {
	ref     string
	rev     *config.Revision
	cfg     *config.Config
	desired map[string]*state.Definition
	empty   bool
}

func (a *app) diffAction(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() != 2 {
		return newUsageError(cmd, "expected two revisions, BASE and HEAD, such as: syncline diff main feature")
	}
	view, err := a.planView(cmd)
	if err != nil {
		return err
	}
	repo, path, err := diffRepository(cmd)
	if err != nil {
		return err
	}
	// Both sides fingerprint secrets with one key made for this diff: no
	// state is at hand, and nobody can check a printed fingerprint
	// against guesses.
	key := state.EphemeralKey()
	base, err := a.loadDiffSide(repo, cmd.Args().Get(0), path, key, cmd)
	if err != nil {
		return err
	}
	head, err := a.loadDiffSide(repo, cmd.Args().Get(1), path, key, cmd)
	if err != nil {
		return err
	}
	if base.empty && head.empty {
		return fmt.Errorf("neither %s nor %s has configuration files in %q of %s; check -path and -repo", base.ref, head.ref, path, repo)
	}
	p, err := computeDiff(base, head)
	if err != nil {
		return err
	}
	if err := view.Diff(p, base.view(), head.view()); err != nil {
		return err
	}
	if cmd.Bool("detailed-exitcode") && p.HasChanges() {
		return exitStatus(exitChanges)
	}
	return nil
}

// diffRepository returns the repository and the configuration directory
// inside it: -repo and -path, or the repository the current directory is
// in and the current directory's place in it.
func diffRepository(cmd *cli.Command) (repo, path string, err error) {
	repo, path = cmd.String("repo"), cmd.String("path")
	if repo != "" {
		return repo, path, nil
	}
	root, ok := gitmirror.WorkTreeRoot(".", true)
	if !ok {
		return "", "", fmt.Errorf("the current directory is not inside a git work tree; name the repository with -repo PATH")
	}
	if path != "" {
		return root, path, nil
	}
	path, err = gitmirror.PathInside(root, ".")
	return root, path, err
}

// loadDiffSide loads one revision without secrets. A revision without
// configuration is empty; any other problem is printed and ends the
// command.
func (a *app) loadDiffSide(repo, ref, path string, key state.SecretKey, cmd *cli.Command) (*diffSide, error) {
	cfg, rev, diags := config.LoadGit(repo, ref, path, config.LoadOptions{
		Vars:                cmd.StringSlice("var"),
		VarFiles:            cmd.StringSlice("var-file"),
		Environ:             variableEnviron(a.environ),
		AllowUnsetVariables: true,
	})
	side := &diffSide{ref: ref, rev: rev, cfg: cfg}
	if rev != nil && config.IsNoConfiguration(diags) {
		side.empty = true
		side.desired = map[string]*state.Definition{}
		return side, nil
	}
	a.showDiagnostics(cfg.Files, diags)
	if diags.HasErrors() {
		return nil, exitStatus(exitError)
	}
	desired, err := planner.DesiredWithoutSecrets(cfg, rev.Commit, key)
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", ref, rev.Short, err)
	}
	side.desired = desired
	return side, nil
}

// variableEnviron keeps only the SYNCLINE_VAR_name variables: a branch
// under review must not read the CI job's environment through env(), not
// even as a fingerprint, so env() compares as an unknown secret.
func variableEnviron(environ []string) []string {
	var out []string
	for _, kv := range environ {
		if strings.HasPrefix(kv, config.EnvVarPrefix) {
			out = append(out, kv)
		}
	}
	return out
}

// computeDiff plans head against a state that holds exactly base's
// definitions, with head's moved blocks.
func computeDiff(base, head *diffSide) (*planner.Plan, error) {
	snap := &state.Snapshot{Definitions: base.desired, ShadowCounts: map[string]int{}}
	var moves []planner.Move
	if !head.empty {
		moves = planner.MovesFromConfig(head.cfg)
	}
	return planner.Compute(head.desired, snap, planner.Options{
		Now:          time.Now(),
		Moves:        moves,
		Revision:     head.rev.Commit,
		EphemeralKey: true,
	})
}

// view is the side as the views name it.
func (s *diffSide) view() views.DiffSide {
	return views.DiffSide{Ref: s.ref, Short: s.rev.Short, Empty: s.empty}
}
