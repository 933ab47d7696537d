package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command's flags.
type options struct {
	rows       int
	threads    int
	dir        string
	json       bool
	cpuProfile string
	memProfile string
	trace      string
	// postgres is the DSN of the PostgreSQL database the provisioning
	// phase writes to as well; "" leaves it out.
	postgres string
	// statePostgres is the DSN of the PostgreSQL server of the
	// import-pgstate phase's store; "" skips that phase.
	statePostgres string
	// only names the phases to run (-only, comma-separated); nil runs
	// them all.
	only map[string]bool

	// phase is the hidden flag of a child process: run this phase only.
	phase string
}

// hiddenFlags are left out of the usage message.
var hiddenFlags = map[string]bool{"phase": true}

// run runs the command and returns its exit status: 0, 1 when the
// benchmark failed, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if opts.phase != "" {
		return runChild(ctx, opts, stdout, stderr)
	}
	return runBench(ctx, opts, stdout, stderr)
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	opts := &options{}
	fs := flag.NewFlagSet("syncline-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&opts.rows, "n", 100_000, "`rows` of the generated HR export")
	fs.IntVar(&opts.threads, "threads", 2, "`threads` of the import and reconciliation activities")
	fs.StringVar(&opts.dir, "dir", "", "work `directory`, kept afterwards (default: a temporary directory, removed)")
	fs.BoolVar(&opts.json, "json", false, "print the results as JSON")
	fs.StringVar(&opts.cpuProfile, "cpuprofile", "", "write a CPU profile of each phase to `file` (cpu.prof → cpu.import.prof, …)")
	fs.StringVar(&opts.memProfile, "memprofile", "", "write a heap profile at the end of each phase to `file`")
	fs.StringVar(&opts.trace, "trace", "", "write an execution trace of each phase to `file` (go tool trace): where the pipeline waits")
	fs.StringVar(&opts.postgres, "postgres", "", "also provision to the PostgreSQL database at `dsn` (default $"+postgresEnv+"), into a table of its own it drops afterwards")
	fs.StringVar(&opts.statePostgres, "state-postgres", "", "also import into a state in the PostgreSQL database at `dsn` (default $"+statePostgresEnv+"), in a schema of its own it drops afterwards")
	only := fs.String("only", "", "run only these `phases`, comma-separated (import, noop, changes, import-pgstate, provision, provision-postgres; sync and provision name groups; noop and changes need import)")
	fs.StringVar(&opts.phase, "phase", "", "run one phase in this process (internal)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: syncline-bench [flags]\n\nMeasures import and reconciliation of a generated HR export.\n\nFlags:")
		fs.VisitAll(func(f *flag.Flag) {
			if hiddenFlags[f.Name] {
				return
			}
			name, usage := flag.UnquoteUsage(f)
			if name != "" {
				name = " " + name
			}
			fmt.Fprintf(stderr, "  -%s%s\n    \t%s", f.Name, name, usage)
			if f.DefValue != "" && f.DefValue != "false" {
				fmt.Fprintf(stderr, " (default %s)", f.DefValue)
			}
			fmt.Fprintln(stderr)
		})
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var unknown []string
	opts.only, unknown = parseOnly(*only)
	switch {
	case len(unknown) > 0:
		fmt.Fprintf(stderr, "-only names unknown phases %q; the phases are %s\n", unknown, strings.Join(phaseNames(), ", "))
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "syncline-bench takes no arguments, got %q\n", fs.Args())
	case opts.rows < 1:
		fmt.Fprintln(stderr, "-n must be at least 1")
	case opts.threads < 1 || opts.threads > 64:
		fmt.Fprintln(stderr, "-threads must be between 1 and 64, as an activity's threads")
	default:
		return opts, nil
	}
	return nil, errors.New("bad flags")
}
