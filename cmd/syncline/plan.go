package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const planDescription = `Compares the configuration in DIR (default: the current directory) with
the definitions stored in the state and shows what an apply would change:
definitions created, updated, replaced, moved or removed, attribute by
attribute, with the next fire times before and after for timing changes and
notes a reviewer must see. Sensitive values are never shown.

plan never writes: a state store that does not exist yet counts as empty.
The one exception is -out FILE, which saves the plan for "syncline apply
FILE" (which applies exactly it), authenticated with the state's secret
key: when the store does not exist yet, -out first creates it, as
syncline init does.
-format chooses the view: text (default), json (see docs/plan-format.md) or
markdown (for a pull-request comment, cut to fit GitHub's 65,536-character
limit).

With -repo PATH and/or -ref REV the configuration is read from a git
revision without a checkout (with -repo, DIR is a directory inside the
repository), and the plan records the commit.

Exit status: 0 success; 1 error. With -detailed-exitcode: 0 no changes,
1 error, 2 changes present.`

func (a *app) planCommand() *cli.Command {
	return &cli.Command{
		Name:        "plan",
		Usage:       "show what an apply would change",
		UsageText:   "syncline plan [options] [DIR]",
		Description: planDescription,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "save the plan to `FILE` for apply", TakesFile: true},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text, json or markdown"},
			&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 2 when there are changes, 0 when none"},
		}, planFlags()...),
		Action: a.planAction,
	}
}

func (a *app) planAction(ctx context.Context, cmd *cli.Command) error {
	src, err := a.configSource(cmd)
	if err != nil {
		return err
	}
	render, err := a.renderer(cmd.String("format"))
	if err != nil {
		return newUsageError(cmd, "%s", err)
	}
	lc, err := a.loadSourceStrict(src, cmd.StringSlice("var"), cmd.StringSlice("var-file"))
	if err != nil {
		return err
	}
	location := stateLocation(cmd.String("state"), src.stateDir, lc.cfg.Settings)
	if out := cmd.String("out"); out != "" {
		if err := a.initForPlanFile(ctx, location, cmd.String("format") == "text"); err != nil {
			return err
		}
	}
	snap, runtime, err := readSnapshot(ctx, location)
	if err != nil {
		return err
	}
	pl, err := a.computePlan(lc, snap, runtime, cmd)
	if err != nil {
		return err
	}
	pl.location = location
	if lc.rev != nil && cmd.String("format") == "text" {
		fmt.Fprintf(a.stdout, "%s\n\n", revisionLine(lc.rev))
	}
	if err := render(a.stdout, pl.plan); err != nil {
		return err
	}
	if err := pl.plan.Err(); err != nil {
		return exitStatus(exitError) // the view has listed the errors
	}
	if out := cmd.String("out"); out != "" {
		if err := writePlanFile(out, pl, cmd); err != nil {
			return err
		}
		if cmd.String("format") == "text" {
			fmt.Fprintf(a.stdout, "\nSaved the plan to %s. To apply exactly this plan, run:\n  syncline apply %s\n", out, out)
		}
	}
	if cmd.Bool("detailed-exitcode") && pl.plan.HasChanges() {
		return exitStatus(exitChanges)
	}
	return nil
}

// renderer returns the view for a -format value.
func (a *app) renderer(format string) (func(io.Writer, *planner.Plan) error, error) {
	switch format {
	case "text", "":
		color := a.color(a.stdout)
		return func(w io.Writer, p *planner.Plan) error {
			return views.RenderText(w, p, views.TextOptions{Color: color})
		}, nil
	case "json":
		return planner.RenderJSON, nil
	case "markdown":
		return func(w io.Writer, p *planner.Plan) error {
			return views.RenderMarkdownWith(w, p, views.MarkdownOptions{MaxLength: views.GitHubCommentLimit})
		}, nil
	}
	return nil, fmt.Errorf("-format must be text, json or markdown, not %q", format)
}

// initForPlanFile creates the store at location when there is none, as
// syncline init does, so that a saved plan can be authenticated with the
// state's secret key. It says so on stdout in the text view, on stderr
// otherwise (stdout then holds only the plan).
func (a *app) initForPlanFile(ctx context.Context, location string, text bool) error {
	if err := state.CheckLocation(location); err != nil {
		return err
	}
	if _, err := os.Stat(location); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	st, err := openStore(ctx, location)
	if err != nil {
		return err
	}
	defer st.Close()
	lineage, created, err := st.Init(ctx)
	if err != nil || !created {
		return err
	}
	w := a.stderr
	if text {
		w = a.stdout
	}
	fmt.Fprintf(w, "Initialized the state store %s (lineage %s), so that the saved plan can be authenticated.\n\n", st.Path(), lineage)
	return nil
}
