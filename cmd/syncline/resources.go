package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/builtin"
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
	if len(cfg.Resources) == 0 {
		fmt.Fprintln(a.stdout, "No resources are declared.")
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCONNECTOR\tOBJECT TYPES\tDESCRIPTION")
	for _, name := range config.SortedNames(cfg.Resources) {
		r := cfg.Resources[name]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Connector, objectTypeList(r), r.Description)
	}
	return tw.Flush()
}

func objectTypeList(r *config.Resource) string {
	var out []string
	for _, ot := range r.ObjectTypes {
		out = append(out, ot.Kind+"/"+ot.Intent)
	}
	if out == nil {
		return "-"
	}
	return strings.Join(out, ", ")
}

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
	result, created, err := testResource(ctx, res, dir)
	if err != nil {
		if created != "" { // created, then failed: still say what changed
			fmt.Fprintf(a.stderr, "Created the %s (create_table = true).\n", created)
		}
		return err
	}
	writeTestResult(a.stdout, res, result, created)
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

// creator is a connector that may create what it connects to (the sql
// connector with create_table): Created says what the connector created,
// "" for nothing.
type creator interface{ Created() string }

// testResource opens the resource's connector, relative to the
// configuration directory, and runs its connection test; created says
// what the test created, if anything.
func testResource(ctx context.Context, res *config.Resource, dir string) (r *connector.TestResult, created string, err error) {
	c, err := builtin.Open(ctx, res, connector.Options{BaseDir: dir})
	if err != nil {
		return nil, "", err
	}
	defer c.Close()
	r, err = c.Test(ctx)
	if cr, ok := c.(creator); ok {
		created = cr.Created()
	}
	return r, created, err
}

func writeTestResult(w io.Writer, res *config.Resource, r *connector.TestResult, created string) {
	fmt.Fprintf(w, "Resource %q (%s): the connection works.\n", res.Name, r.Connector)
	if created != "" {
		fmt.Fprintf(w, "Created the %s: it did not exist, and the connection sets create_table = true.\n", created)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if r.Server != "" {
		fmt.Fprintf(tw, "  Server:\t%s\n", r.Server)
	}
	fmt.Fprintf(tw, "  Location:\t%s\n", r.Location)
	fmt.Fprintf(tw, "  Object class:\t%s\n", r.ObjectClass)
	fmt.Fprintf(tw, "  Identifier:\t%s\n", r.Identifier)
	fmt.Fprintf(tw, "  Objects:\t%d\n", r.Objects)
	fmt.Fprintf(tw, "  Capabilities:\t%s\n", r.Capabilities)
	tw.Flush()
	writeAttributes(w, r)
	if r.ProblemCount > 0 {
		fmt.Fprintf(w, "\n%d %s cannot be read", r.ProblemCount, views.Plural("object", r.ProblemCount))
		if r.ProblemCount > len(r.Problems) {
			fmt.Fprintf(w, " (the first %d follow)", len(r.Problems))
		}
		fmt.Fprintln(w, ":")
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(p.Error(), "\n", "\n    "))
		}
	}
}

func writeAttributes(w io.Writer, r *connector.TestResult) {
	fmt.Fprintf(w, "\n  Attributes (%d):\n", len(r.Attributes))
	typed := slices.ContainsFunc(r.Attributes, func(a connector.AttributeInfo) bool { return a.Type != "" })
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, attr := range r.Attributes {
		cells := []string{"    " + attr.Name}
		if typed {
			cells = append(cells, attr.Type)
		}
		var notes []string
		if attr.Name == r.Identifier {
			notes = append(notes, "identifier")
		}
		if attr.MultiValued {
			notes = append(notes, "multi-valued")
		}
		if notes != nil {
			cells = append(cells, "("+strings.Join(notes, ", ")+")")
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
}
