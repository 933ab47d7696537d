package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/state"
)

// runChild runs the phase opts.phase in this process, on the work
// directory the parent prepared, and writes its phaseResult as JSON to
// stdout.
func runChild(ctx context.Context, opts *options, stdout, stderr io.Writer) int {
	var res *phaseResult
	var err error
	if ph, ok := phaseNamed(opts.phase); ok {
		res, err = runPhase(ctx, ph, opts)
	} else if bl, ok := baselineNamed(opts.phase); ok {
		res, err = runBaseline(ctx, bl, opts)
	} else {
		fmt.Fprintf(stderr, "syncline-bench: unknown phase %q\n", opts.phase)
		return 2
	}
	if err != nil {
		res.Error = err.Error()
	}
	if err := json.NewEncoder(stdout).Encode(res); err != nil {
		fmt.Fprintf(stderr, "syncline-bench: %v\n", err)
		return 1
	}
	if err != nil {
		return 1
	}
	return 0
}

// runPhase loads the configuration, opens the store and times the
// phase's synchronization call. It always returns a result.
func runPhase(ctx context.Context, ph phase, opts *options) (*phaseResult, error) {
	w := workDir(opts.dir)
	res := &phaseResult{Phase: ph.name}
	job, closeStore, err := phaseJob(ctx, ph, w, opts)
	if err != nil {
		return res, err
	}
	defer closeStore()
	var target *accountTarget
	if ph.target != "" {
		if target, err = openAccountTarget(ctx, ph, opts); err != nil {
			return res, err
		}
		defer target.drop()
	}
	rec := job.Rec.(*recorder)
	stopProfile, err := startRecording(opts.cpuProfile, ph.name, pprof.StartCPUProfile, pprof.StopCPUProfile)
	if err != nil {
		return res, err
	}
	stopTrace, err := startRecording(opts.trace, ph.name, trace.Start, trace.Stop)
	if err != nil {
		stopProfile()
		return res, err
	}
	start := time.Now()
	syncErr := ph.sync(ctx, job)
	elapsed := time.Since(start)
	stopTrace()
	stopProfile()
	res = newPhaseResult(ph.name, rec, elapsed)
	if err := writeHeapProfile(opts.memProfile, ph.name); err != nil {
		return res, err
	}
	if target != nil && syncErr == nil {
		if err := target.check(ctx, res, opts.rows); err != nil {
			return res, err
		}
	}
	return res, syncErr
}

// phaseJob builds the synchronization job of ph: the configuration, the
// task's activity and the store (emptied first for a fresh phase).
func phaseJob(ctx context.Context, ph phase, w workDir, opts *options) (*synchronization.Job, func(), error) {
	cfg, diags := config.LoadDir(w.phaseConfig(ph), config.LoadOptions{})
	if diags.HasErrors() {
		return nil, nil, fmt.Errorf("load the configuration: %s", diags.Error())
	}
	task := cfg.Tasks[ph.task]
	if task == nil || len(task.Activities) != 1 {
		return nil, nil, fmt.Errorf("the configuration has no task %q with one activity", ph.task)
	}
	location, dropStore := w.phaseStore(ph), func() {}
	if ph.postgresState {
		var err error
		if location, dropStore, err = freshPostgresState(ctx, statePostgresDSN(opts.statePostgres)); err != nil {
			return nil, nil, err
		}
	} else if ph.fresh {
		if err := removeStore(location); err != nil {
			return nil, nil, err
		}
	}
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		dropStore()
		return nil, nil, err
	}
	job := &synchronization.Job{
		Config: cfg, Activity: task.Activities[0], Mode: config.ModeFull, Store: st,
		ConnectorOptions: connector.Options{BaseDir: w.phaseConfig(ph)},
		Rec:              newRecorder(),
	}
	return job, func() { st.Close(); dropStore() }, nil
}

// removeStore removes a SQLite store and its WAL files.
func removeStore(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// profilePath inserts the phase's name before path's extension.
func profilePath(path, phase string) string {
	if i := strings.LastIndexByte(path, '.'); i > strings.LastIndexByte(path, os.PathSeparator) {
		return path[:i] + "." + phase + path[i:]
	}
	return path + "." + phase
}

// startRecording starts writing a recording of the phase — a CPU profile
// (pprof.StartCPUProfile, pprof.StopCPUProfile) or an execution trace
// (trace.Start, trace.Stop) — to path with the phase's name in it
// (profilePath); stop ends it and closes the file. An empty path records
// nothing.
func startRecording(path, phase string, begin func(io.Writer) error, end func()) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(profilePath(path, phase))
	if err != nil {
		return nil, err
	}
	if err := begin(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { end(); f.Close() }, nil
}

// writeHeapProfile writes what is live at the end of the phase, after a
// collection.
func writeHeapProfile(path, phase string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(profilePath(path, phase))
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.WriteHeapProfile(f)
}
