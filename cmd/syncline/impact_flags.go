package main

import (
	"fmt"
	"strings"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/planner"
	"github.com/urfave/cli/v3"
)

// impactFlags are the identity impact options of plan and diff.
func impactFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "impact", Value: true,
			Usage: "evaluate which users and accounts the change would touch, over the state's repository (-impact=false: skip)"},
		&cli.IntFlag{Name: "impact-samples", Value: planner.DefaultImpactSamples,
			Usage: "name up to `N` identities per kind of change in the impact (0: none)"},
		&cli.DurationFlag{Name: "impact-timeout", Value: synchronization.DefaultImpactDuration,
			Usage: "stop evaluating the impact after `DURATION`; the impact then says it is truncated"},
		&cli.StringFlag{Name: "fail-on-impact",
			Usage: "exit 1 when the impact meets `EXPR`, such as 'deletions > 10' or 'deletions[app] > 0 || users_deleted > 0' (see docs/gitops.md)"},
	}
}

// impactOptions reads the impact flags; a malformed -fail-on-impact is a
// usage error, found before any work.
func impactOptions(cmd *cli.Command) (ops.ImpactOptions, *planner.ImpactPolicy, error) {
	opts := ops.ImpactOptions{Off: !cmd.Bool("impact"), Samples: int(cmd.Int("impact-samples")),
		MaxDuration: cmd.Duration("impact-timeout")}
	switch {
	case opts.Samples < 0:
		return opts, nil, newUsageError(cmd, "-impact-samples must be 0 or more")
	case opts.Samples == 0:
		opts.Samples = -1 // none: to ops, 0 means the default
	}
	src := strings.TrimSpace(cmd.String("fail-on-impact"))
	if src == "" {
		return opts, nil, nil
	}
	if opts.Off {
		return opts, nil, newUsageError(cmd, "-fail-on-impact needs the impact; remove -impact=false")
	}
	policy, err := planner.ParseImpactPolicy(src)
	if err != nil {
		return opts, nil, newUsageError(cmd, "%s", err)
	}
	return opts, policy, nil
}

// checkImpact ends the command with exit status 1 when the plan's impact
// meets the -fail-on-impact policy.
func checkImpact(p *planner.Plan, policy *planner.ImpactPolicy) error {
	if policy == nil {
		return nil
	}
	if p.Impact == nil {
		return fmt.Errorf("-fail-on-impact %q: there is no impact to check (no state store at hand)", policy.Source)
	}
	if held := policy.Violations(p.Impact); held != nil {
		return fmt.Errorf("the change's identity impact meets -fail-on-impact %q: %s", policy.Source, strings.Join(held, ", "))
	}
	return nil
}
