package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/urfave/cli/v3"
)

const resourcesTestDescription = `Connects to the resource NAME of the configuration in DIR (default: the
current directory) and reports what it found: where the objects are, the
identifier, the attributes (columns) and how many objects there are. A csv
file is read whole, so rows that cannot be read are listed too.

It only reads: nothing is written to the resource or to the state, with
one exception that the configuration opts into: a sql resource with
create_table = true whose table does not exist gets it created (and, for
sqlite, its database file), and the output says so. The connection's
secrets (a dsn, a password) are never printed.

Exit status: 0 when the connection works and every object can be read;
1 otherwise, with an error naming the resource.`

func (a *app) resourcesCommand() *cli.Command {
	return &cli.Command{
		Name:      "resources",
		Usage:     "list the resources and test their connections",
		UsageText: "syncline resources <list [DIR] | test NAME [DIR]> [options]",
		Commands: []*cli.Command{
			{
				Name: "list", Usage: "list the resources of the configuration", UsageText: "syncline resources list [options] [DIR]",
				Flags: variableFlags(), Action: a.resourcesList,
			},
			{
				Name: "test", Usage: "check a resource's connection and show what it holds", UsageText: "syncline resources test [options] NAME [DIR]",
				Description: resourcesTestDescription,
				Flags: append([]cli.Flag{
					&cli.DurationFlag{Name: "timeout", Value: time.Minute, Usage: "give up after `DURATION`"},
				}, variableFlags()...),
				Action: a.resourcesTest,
			},
		},
	}
}

func (a *app) resourcesList(ctx context.Context, cmd *cli.Command) error {
	dir, err := dirArg(cmd)
	if err != nil {
		return err
	}
	cfg, err := a.loadStrict(dir, cmd)
	if err != nil {
		return err
	}
	resources := make([]*config.Resource, 0, len(cfg.Resources))
	for _, name := range config.SortedNames(cfg.Resources) {
		resources = append(resources, cfg.Resources[name])
	}
	return a.resourcesView().List(resources)
}

// resourcesView is the view of the resources commands.
func (a *app) resourcesView() views.Resources { return views.NewResources(a.streams()) }

func (a *app) resourcesTest(ctx context.Context, cmd *cli.Command) error {
	name, dir, err := resourceArgs(cmd)
	if err != nil {
		return err
	}
	cfg, err := a.loadStrict(dir, cmd)
	if err != nil {
		return err
	}
	res, ok := cfg.Resources[name]
	if !ok {
		return unknownResourceError(cfg, name)
	}
	ctx, cancel := context.WithTimeout(ctx, cmd.Duration("timeout"))
	defer cancel()
	result, created, err := ops.TestResource(ctx, res, dir)
	if err != nil {
		if created != "" { // created, then failed: still say what changed
			a.resourcesView().CreatedBeforeFailure(created)
		}
		return err
	}
	a.resourcesView().Tested(res, result, created)
	if result.ProblemCount > 0 {
		return fmt.Errorf("resource %q: %d %s cannot be read (listed above)", name, result.ProblemCount, views.Plural("object", result.ProblemCount))
	}
	return nil
}

// resourceArgs returns NAME and the optional DIR.
func resourceArgs(cmd *cli.Command) (string, string, error) {
	switch cmd.NArg() {
	case 0:
		return "", "", newUsageError(cmd, "expected the NAME of a resource, such as hr")
	case 1:
		return cmd.Args().First(), ".", nil
	case 2:
		return cmd.Args().Get(0), cmd.Args().Get(1), nil
	}
	return "", "", newUsageError(cmd, "too many arguments; expected NAME and at most one directory")
}

func unknownResourceError(cfg *config.Config, name string) error {
	names := config.SortedNames(cfg.Resources)
	msg := fmt.Sprintf("there is no resource named %q", name)
	if s := closestName(name, names); s != "" {
		return fmt.Errorf("%s; did you mean %q?", msg, s)
	}
	if len(names) == 0 {
		return fmt.Errorf("%s; the configuration declares no resources", msg)
	}
	return fmt.Errorf("%s; the resources are %s", msg, strings.Join(names, ", "))
}
