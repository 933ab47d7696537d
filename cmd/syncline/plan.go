package main

import (
	"context"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/urfave/cli/v3"
)

const planDescription = `Compares the configuration in DIR (default: the current directory) with
the definitions stored in the state and shows what an apply would change:
definitions created, updated, replaced, moved or removed, attribute by
attribute, with the next fire times before and after for timing changes and
notes a reviewer must see. Sensitive values are never shown.

After the definitions comes the identity impact: which users and accounts
the configuration would create, modify, rename, disable or delete, per
resource, with a few named (-impact-samples), and the task thresholds the
work would exceed — evaluated over the state's users and shadows with the
decisions a preview run makes, read-only, without reaching any resource
(docs/plan-format.md). -impact=false skips it; -fail-on-impact EXPR, such
as 'deletions > 10', exits 1 when the impact meets EXPR (docs/gitops.md).

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
		}, append(planFlags(), impactFlags()...)...),
		Action: a.planAction,
	}
}

func (a *app) planAction(ctx context.Context, cmd *cli.Command) error {
	src, err := a.configSource(cmd)
	if err != nil {
		return err
	}
	view, err := a.planView(cmd)
	if err != nil {
		return err
	}
	impact, policy, err := impactOptions(cmd)
	if err != nil {
		return err
	}
	lc, err := a.loadSourceStrict(src, cmd.StringSlice("var"), cmd.StringSlice("var-file"))
	if err != nil {
		return err
	}
	location := ops.StateLocation(cmd.String("state"), src.StateDir, lc.Config.Settings)
	if out := cmd.String("out"); out != "" {
		created, err := ops.InitMissing(ctx, location)
		if err != nil {
			return err
		}
		if created != nil {
			view.StoreInitialized(created.Path, created.Lineage)
		}
	}
	pl, err := ops.PlanAgainst(ctx, lc, location, cmd.Bool("allow-destroy"))
	if err != nil {
		return err
	}
	if cmd.String("out") == "" {
		// Only a saved plan needs the canonical definitions: let them go
		// before the impact reads the state, where the plan's memory peaks.
		pl.Desired = nil
	}
	impact.Applied = pl.Applied
	if err := ops.AddImpact(ctx, pl.Plan, lc.Config, location, impact); err != nil {
		return err
	}
	if lc.Revision != nil {
		view.Revision(lc.Revision)
	}
	if err := view.Plan(pl.Plan); err != nil {
		return err
	}
	if err := pl.Plan.Err(); err != nil {
		return exitStatus(exitError) // the view has listed the errors
	}
	if out := cmd.String("out"); out != "" {
		if err := ops.WritePlanFile(out, pl, ops.SaveOptions{State: location, Vars: cmd.StringSlice("var"),
			VarFiles: cmd.StringSlice("var-file"), AllowDestroy: cmd.Bool("allow-destroy")}); err != nil {
			return err
		}
		view.Saved(out)
	}
	if err := checkImpact(pl.Plan, policy); err != nil {
		return err
	}
	if cmd.Bool("detailed-exitcode") && pl.Plan.HasChanges() {
		return exitStatus(exitChanges)
	}
	return nil
}

// planView is the plan view the -format flag chooses, with colour when
// stdout is a terminal; an unknown format is a usage error.
func (a *app) planView(cmd *cli.Command) (views.Plan, error) {
	t, err := views.ParseViewType(cmd.String("format"))
	if err != nil {
		return nil, newUsageError(cmd, "%s", err)
	}
	return views.NewPlan(t, a.streams(), views.PlanOptions{Color: a.color(a.stdout)}), nil
}

// textPlanView is the text plan view, for commands without -format.
func (a *app) textPlanView() views.Plan {
	return views.NewPlan(views.Text, a.streams(), views.PlanOptions{Color: a.color(a.stdout)})
}
