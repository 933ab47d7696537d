package main

import (
	"context"

	"github.com/urfave/cli/v3"
)

const fmtDescription = `Rewrites Syncline configuration files (*.hcl) in the canonical format and
style, and lists the files it changed.

With no arguments, formats the *.hcl files in the current directory. A
directory argument formats the *.hcl files in it (and, with -recursive, in
its subdirectories, skipping hidden ones such as .git and .syncline); a file
argument formats that file. "-" reads a configuration from standard input
and writes the formatted result to standard output.

A file with syntax errors is left unchanged; its errors are printed.

Exit status: 0 on success, 1 on errors (including syntax errors), and 3 with
-check when some file is not formatted (as "terraform fmt -check").`

// fmtOptions are the flags of the fmt command.
type fmtOptions struct {
	check     bool // write nothing; exit 3 if any file would change
	diff      bool // print a unified diff of the changes
	recursive bool // descend into subdirectories
	list      bool // print the names of files that change
}

func (a *app) fmtCommand() *cli.Command {
	return &cli.Command{
		Name:        "fmt",
		Usage:       "rewrite configuration files in the canonical format",
		UsageText:   "syncline fmt [options] [DIR|FILE|- ...]",
		Description: fmtDescription,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "check", Usage: "write nothing; list files that are not formatted and exit 3 if any"},
			&cli.BoolFlag{Name: "diff", Usage: "print a unified diff of the formatting changes"},
			&cli.BoolFlag{Name: "recursive", Usage: "also format files in subdirectories"},
			&cli.BoolFlag{Name: "list", Value: true, Usage: "list files whose formatting differs (-list=false to turn off)"},
		},
		Action: a.fmt,
	}
}

func (a *app) fmt(ctx context.Context, cmd *cli.Command) error {
	opts := fmtOptions{
		check:     cmd.Bool("check"),
		diff:      cmd.Bool("diff"),
		recursive: cmd.Bool("recursive"),
		list:      cmd.Bool("list"),
	}
	targets := cmd.Args().Slice()
	if len(targets) == 0 {
		targets = []string{"."}
	}
	var res fmtResult
	for _, target := range targets {
		res.add(a.fmtTarget(target, opts))
	}
	return res.err(opts)
}

// fmtResult sums up what formatting found across files.
type fmtResult struct {
	changed bool // some file was (or, with -check, would be) changed
	failed  bool // some file could not be read, parsed or written
}

func (r *fmtResult) add(o fmtResult) {
	r.changed = r.changed || o.changed
	r.failed = r.failed || o.failed
}

func (r fmtResult) err(opts fmtOptions) error {
	switch {
	case r.failed:
		return exitStatus(exitError)
	case r.changed && opts.check:
		return exitStatus(exitNeedsFormat)
	}
	return nil
}
