package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const applyDescription = `Stores the configuration's definitions in the state, in one transaction.

With -repo PATH and/or -ref REV the configuration is read from a git
revision without a checkout (with -repo, DIR is a directory inside the
repository); the apply records the commit and its author.

With DIR (default: the current directory), apply plans first, shows the plan
and asks for "yes" — on a terminal only; elsewhere -auto-approve is required.

With PLANFILE (from "syncline plan -out PLANFILE"), apply carries out exactly
that plan, without asking. It refuses a plan file that does not
authenticate with the state's secret key (made for another state, or
edited), a plan whose state changed since (stale), and a plan whose
configuration or secrets changed since, naming what changed; then it
recomputes the plan from the configuration and the state and refuses it
unless the changes are exactly those in the file.

apply holds the state's lock while it works; another apply waits up to
-lock-timeout and then fails naming the holder.`

func (a *app) applyCommand() *cli.Command {
	return &cli.Command{
		Name:        "apply",
		Usage:       "store the configuration's definitions in the state",
		UsageText:   "syncline apply [options] [DIR | PLANFILE]",
		Description: applyDescription,
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "auto-approve", Usage: "apply without asking for confirmation"},
			&cli.DurationFlag{Name: "lock-timeout", Usage: "how long to wait for the state lock (e.g. 30s)"},
		}, planFlags()...),
		Action: a.applyAction,
	}
}

func (a *app) applyAction(ctx context.Context, cmd *cli.Command) error {
	arg, err := dirArg(cmd)
	if err != nil {
		return err
	}
	if err := refuseGitWithPlanFile(cmd, arg); err != nil {
		return err
	}
	src, err := a.configSource(cmd)
	if err != nil {
		return err
	}
	if info, statErr := os.Stat(arg); !src.FromGit() && statErr == nil && !info.IsDir() {
		return a.applyPlanFile(ctx, arg, cmd)
	}
	return a.applySource(ctx, src, cmd)
}

// applySource plans the configuration under the lock, shows the plan,
// asks, and applies.
func (a *app) applySource(ctx context.Context, src ops.Source, cmd *cli.Command) error {
	lc, err := a.loadSourceStrict(src, cmd.StringSlice("var"), cmd.StringSlice("var-file"))
	if err != nil {
		return err
	}
	location := ops.StateLocation(cmd.String("state"), src.StateDir, lc.Config.Settings)
	view := a.applyView()
	res, err := ops.PlanAndApply(ctx, lc, ops.ApplyOptions{Location: location, LockTimeout: cmd.Duration("lock-timeout"),
		AllowDestroy: cmd.Bool("allow-destroy")}, a.reporter(view, func() error { return a.confirm(cmd, view) }))
	if err != nil {
		return a.reported(err)
	}
	showApplied(view, res)
	return nil
}

// showApplied reports through view what an apply did, when it applied.
func showApplied(view views.Apply, res *ops.ApplyResult) {
	if res.Applied != nil {
		view.Applied(views.Applied{Summary: res.Planned.Plan.Summary, Result: *res.Applied, Revision: res.Revision, Who: res.Who})
	}
}

// applyPlanFile applies a saved plan after checking it is authentic and
// still holds. What is stored is the plan recomputed from the
// configuration and the state, never the file's own definitions.
func (a *app) applyPlanFile(ctx context.Context, path string, cmd *cli.Command) error {
	f, p, err := readPlanFile(path)
	if err != nil {
		return err
	}
	location := f.State
	if flag := cmd.String("state"); flag != "" {
		location = flag
	}
	view := a.applyView()
	return a.underLock(ctx, location, cmd, func(st *state.Store, snap *state.Snapshot) error {
		if err := f.authenticate(path, p, snap); err != nil {
			return err
		}
		if err := checkPlanAgainstState(p, snap); err != nil {
			return err
		}
		lc, desired, err := a.checkPlanAgainstConfig(f, p, snap, cmd, view)
		if err != nil {
			return err
		}
		runtime, err := st.TaskRuntimes(ctx)
		if err != nil {
			return err
		}
		again, err := planner.Compute(desired, snap, planner.Options{Now: time.Now(), AllowDestroy: f.AllowDestroy,
			Moves: planner.MovesFromConfig(lc.Config), Revision: p.Revision, Runtime: runtime})
		if err != nil {
			return err
		}
		if err := p.SameChanges(again); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return store(ctx, st, again.ApplyRequest(desired, lc.Who()), again, view)
	})
}

// checkPlanAgainstState refuses a plan made for another state or before
// the state last changed, naming the definitions that differ.
func checkPlanAgainstState(p *planner.Plan, snap *state.Snapshot) error {
	if p.Lineage != snap.Lineage {
		want := p.Lineage
		if want == "" {
			want = "a new, empty state"
		}
		return fmt.Errorf("the plan was made for another state (lineage %s), but this state has lineage %s; make a new plan against this state", want, snap.Lineage)
	}
	if p.Serial == snap.Serial {
		return nil
	}
	changed := changedSince(p.Prior, snap)
	return fmt.Errorf("the plan is stale: the state changed since it was made (serial %d, now %d; changed: %s); make a new plan",
		p.Serial, snap.Serial, strings.Join(changed, ", "))
}

// changedSince lists the addresses whose stored hash differs from prior.
func changedSince(prior map[string]string, snap *state.Snapshot) []string {
	var out []string
	for addr, h := range prior {
		if d, ok := snap.Definitions[addr]; !ok || d.Hash != h {
			out = append(out, addr)
		}
	}
	for addr := range snap.Definitions {
		if _, ok := prior[addr]; !ok {
			out = append(out, addr)
		}
	}
	if len(out) == 0 {
		return []string{"no definition, only the serial"}
	}
	slices.Sort(out)
	return out
}

// checkPlanAgainstConfig reloads the configuration (and so re-reads every
// secret) and refuses the plan when what it would store differs. A plan
// made from git is reloaded from the very commit it recorded, wherever its
// branch points now. The revision is named through view.
func (a *app) checkPlanAgainstConfig(f *planFile, p *planner.Plan, snap *state.Snapshot, cmd *cli.Command, view views.Apply) (*ops.Loaded, map[string]*state.Definition, error) {
	vars := append(append([]string{}, f.Vars...), cmd.StringSlice("var")...)
	varFiles := append(append([]string{}, f.VarFiles...), cmd.StringSlice("var-file")...)
	lc, err := a.loadSourceStrict(f.source(), vars, varFiles)
	if err != nil {
		return nil, nil, err
	}
	if lc.Commit() != p.Revision {
		return nil, nil, fmt.Errorf("the plan was made from revision %q, but its configuration now loads as %q; make a new plan", p.Revision, lc.Commit())
	}
	if lc.Revision != nil {
		view.PlanFileRevision(lc.Revision)
	}
	desired, err := planner.Desired(lc.Config, p.Revision, snap.Key)
	if err != nil {
		return nil, nil, err
	}
	return lc, desired, p.Verify(desired)
}

// underLock opens (creating if needed) the store, takes the apply lock,
// waiting up to -lock-timeout, reads the snapshot and runs fn; the lock is
// released however fn ends.
func (a *app) underLock(ctx context.Context, location string, cmd *cli.Command, fn func(*state.Store, *state.Snapshot) error) error {
	return ops.WithApplyLock(ctx, location, cmd.Duration("lock-timeout"), fn)
}

// store writes the request and reports the result through view.
func store(ctx context.Context, st *state.Store, req state.ApplyRequest, p *planner.Plan, view views.Apply) error {
	res, err := st.Apply(ctx, req)
	if err != nil {
		return err
	}
	view.Applied(views.Applied{Summary: p.Summary, Result: *res, Revision: req.Revision, Who: req.Who})
	return nil
}

// applyView is the view of apply and sync: text, coloured on a terminal.
func (a *app) applyView() views.Apply {
	return views.NewApply(a.streams(), a.color(a.stdout))
}

// confirm asks for "yes" on a terminal through view, unless -auto-approve.
func (a *app) confirm(cmd *cli.Command, view views.Apply) error {
	if cmd.Bool("auto-approve") {
		return nil
	}
	if !isTerminalReader(a.stdin) {
		return errors.New("apply needs confirmation, but standard input is not a terminal; review the plan and run again with -auto-approve, or apply a saved plan file")
	}
	view.AskApproval()
	answer, _ := readLine(a.stdin)
	if strings.TrimSpace(answer) != "yes" {
		return errors.New("apply cancelled")
	}
	return nil
}
