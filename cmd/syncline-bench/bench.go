package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/syncline/syncline/internal/scenario"
)

// childEnv is set on the child processes; a test binary, which is not
// this command, looks for it to run the command instead of its tests.
const childEnv = "SYNCLINE_BENCH_CHILD"

// runBench runs the whole benchmark and prints its report.
func runBench(ctx context.Context, opts *options, stdout, stderr io.Writer) int {
	if opts.dir == "" {
		dir, err := os.MkdirTemp("", "syncline-bench-")
		if err != nil {
			fmt.Fprintf(stderr, "syncline-bench: %v\n", err)
			return 1
		}
		defer os.RemoveAll(dir)
		opts.dir = dir
	}
	dir, err := filepath.Abs(opts.dir)
	if err != nil {
		fmt.Fprintf(stderr, "syncline-bench: %v\n", err)
		return 1
	}
	opts.dir = dir
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "syncline-bench: cannot re-run itself: %v\n", err)
		return 1
	}
	b := &bench{opts: opts, exe: exe, w: workDir(opts.dir), hr: scenario.HR{Rows: opts.rows}, progress: stderr}
	rep, err := b.run(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "syncline-bench: %v\n", err)
		return 1
	}
	if err := rep.write(stdout, opts.json); err != nil {
		fmt.Fprintf(stderr, "syncline-bench: %v\n", err)
		return 1
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(stderr, "syncline-bench: FAILED: %s\n", p)
	}
	if len(rep.Problems) > 0 {
		return 1
	}
	return 0
}

// bench is one run of the benchmark.
type bench struct {
	opts     *options
	exe      string // this command, run again for each phase
	w        workDir
	hr       scenario.HR
	progress io.Writer
}

func (b *bench) run(ctx context.Context) (*report, error) {
	rep := &report{FormatVersion: reportFormatVersion, Rows: b.opts.rows, Threads: b.opts.threads, Machine: thisMachine()}
	b.say("writing %d rows and the configuration to %s", b.opts.rows, b.w)
	if err := b.w.writeConfig(b.opts.threads); err != nil {
		return nil, err
	}
	if err := b.w.writeCSV(b.hr, false); err != nil {
		return nil, err
	}
	if b.opts.wantsSync() {
		b.say("baseline: sqlite3 .import")
		rep.Baseline = sqliteBaseline(ctx, b.w.csv(), b.w.baselineDB(), b.opts.rows)
	} else {
		rep.Baseline.Skipped = "no import or reconciliation phase was asked for (-only)"
	}
	variant := false
	for _, ph := range phases {
		if ph.target != "" || (ph.postgresState && statePostgresDSN(b.opts.statePostgres) == "") || !b.opts.wanted(ph.name) {
			continue
		}
		if ph.variant != variant {
			if err := b.w.writeCSV(b.hr, ph.variant); err != nil {
				return nil, err
			}
			variant = ph.variant
		}
		if err := b.runPhase(ctx, rep, ph); err != nil {
			break // the next phases need this one's store
		}
	}
	if variant {
		if err := b.w.writeCSV(b.hr, false); err != nil {
			return nil, err
		}
	}
	if err := b.runProvision(ctx, rep); err != nil {
		return nil, err
	}
	rep.Targets = evaluateTargets(rep)
	rep.Machine.LoadAfter = loadAverage()
	return rep, nil
}

// runPhase runs ph in a child process and adds its result and problems
// to rep; it returns the phase's error.
func (b *bench) runPhase(ctx context.Context, rep *report, ph phase) error {
	b.say("phase %s: %s", ph.name, ph.title)
	res, err := b.spawn(ctx, ph.name)
	if res != nil {
		rep.Phases = append(rep.Phases, newPhaseReport(ph.title, ph.target, res))
	}
	if err != nil {
		// Its statistics fall short because of it: the error alone says why.
		rep.Problems = append(rep.Problems, err.Error())
		return err
	}
	rep.Problems = append(rep.Problems, checkPhase(ph, b.hr, res)...)
	return nil
}

func (b *bench) say(format string, args ...any) {
	fmt.Fprintf(b.progress, "syncline-bench: "+format+"\n", args...)
}

// spawn runs the phase or baseline name in a child process and returns what it reported.
func (b *bench) spawn(ctx context.Context, name string) (*phaseResult, error) {
	args := []string{"-phase", name, "-dir", b.opts.dir, "-threads", fmt.Sprint(b.opts.threads), "-n", fmt.Sprint(b.opts.rows)}
	if b.opts.cpuProfile != "" {
		args = append(args, "-cpuprofile", b.opts.cpuProfile)
	}
	if b.opts.trace != "" {
		args = append(args, "-trace", b.opts.trace)
	}
	if b.opts.memProfile != "" {
		args = append(args, "-memprofile", b.opts.memProfile)
	}
	cmd := exec.CommandContext(ctx, b.exe, args...)
	cmd.Env = append(os.Environ(), childEnv+"=1", postgresEnv+"="+postgresDSN(b.opts.postgres),
		statePostgresEnv+"="+statePostgresDSN(b.opts.statePostgres))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, b.progress
	runErr := cmd.Run()
	var res phaseResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("phase %s: %v, and no result (%v)", name, runErr, err)
	}
	if ps := cmd.ProcessState; ps != nil {
		res.CPUSeconds = (ps.UserTime() + ps.SystemTime()).Seconds()
	}
	switch {
	case res.Error != "":
		return &res, fmt.Errorf("phase %s: %s", name, res.Error)
	case runErr != nil:
		return &res, fmt.Errorf("phase %s: %v", name, runErr)
	}
	return &res, nil
}
