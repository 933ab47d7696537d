package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/syncline/syncline/config"
	"github.com/urfave/cli/v3"
)

// upWatch keeps DIR up: on every saved change to a watched file it applies
// again and re-runs the tasks whose fingerprint changed. It returns when
// ctx ends (Ctrl-C).
func (a *app) upWatch(ctx context.Context, dir string, cmd *cli.Command, round *upResult) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	varFiles := cmd.StringSlice("var-file")
	watching := map[string]bool{}
	follow := func(cfg *config.Config) {
		for _, d := range watchedDirs(dir, cfg, varFiles) {
			if watching[d] {
				continue
			}
			if err := w.Add(d); err != nil {
				fmt.Fprintf(a.stderr, "Error: watching %s: %s\n", d, err)
				continue
			}
			watching[d] = true
		}
	}
	cfg, prints := round.cfg, round.fingerprints
	follow(cfg)
	seen := digestWatched(dir, cfg, varFiles)
	fmt.Fprintf(a.stdout, "\nWatching %s; save a change to apply it and re-run what it concerns. Ctrl-C stops.\n", dir)

	timer := time.NewTimer(watchDebounce)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Write) || ev.Has(fsnotify.Create) || ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
				timer.Reset(watchDebounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			fmt.Fprintf(a.stderr, "Error watching %s: %s\n", dir, err)
		case <-timer.C:
			// Most events are of files nobody reads (editor backups, the
			// state's journal, a database a run wrote): only a change to
			// what is watched starts a round.
			atStart := digestWatched(dir, cfg, varFiles)
			if maps.Equal(atStart, seen) {
				continue
			}
			fmt.Fprintf(a.stdout, "\n──── %s ────\n", time.Now().Format("15:04:05"))
			before := prints
			round, err := a.upRound(ctx, dir, cmd, func(now map[string]string) map[string]bool {
				return changedTasks(before, now)
			})
			if err != nil {
				a.reportRoundError(err)
			}
			if round.cfg != nil {
				cfg = round.cfg
				follow(cfg)
			}
			if round.fingerprints != nil {
				prints = round.fingerprints
			}
			seen = afterRound(atStart, digestWatched(dir, cfg, varFiles))
		}
	}
}

// changedTasks are the tasks whose fingerprint is new or differs.
func changedTasks(before, now map[string]string) map[string]bool {
	out := map[string]bool{}
	for name, fp := range now {
		if before[name] != fp {
			out[name] = true
		}
	}
	return out
}

// watchedFiles are the files whose change starts a round: the
// configuration files in dir and the -var-file files (config), and the
// data files the connectors of cfg's resources name (see dataFiles; none
// when the configuration did not load).
func watchedFiles(dir string, cfg *config.Config, varFiles []string) (configFiles, data []string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && strings.HasSuffix(name, config.ConfigFileSuffix) && !strings.HasPrefix(name, ".") {
			configFiles = append(configFiles, filepath.Join(dir, name))
		}
	}
	configFiles = append(configFiles, varFiles...)
	if cfg != nil {
		for _, name := range config.SortedNames(cfg.Resources) {
			data = append(data, dataFiles(dir, cfg.Resources[name])...)
		}
	}
	return configFiles, data
}

// watchedDirs are the directories to watch for watchedFiles: editors save
// by renaming over a file, which only a watch on its directory sees.
func watchedDirs(dir string, cfg *config.Config, varFiles []string) []string {
	dirs := []string{filepath.Clean(dir)}
	configFiles, data := watchedFiles(dir, cfg, varFiles)
	for _, f := range append(configFiles, data...) {
		dirs = append(dirs, filepath.Dir(f))
	}
	slices.Sort(dirs)
	return slices.Compact(dirs)
}

// fileDigests maps each watched file to the digest of its contents, or of
// the error reading it; configuration files are marked as such.
type fileDigests map[string]string

func digestWatched(dir string, cfg *config.Config, varFiles []string) fileDigests {
	configFiles, data := watchedFiles(dir, cfg, varFiles)
	out := fileDigests{}
	for _, path := range configFiles {
		out["config:"+path] = fileDigest(path)
	}
	for _, path := range data {
		out["data:"+path] = fileDigest(path)
	}
	return out
}

// afterRound is what counts as seen once a round ends: configuration files
// as they were when the round started (a run never writes them, so a
// change since is an edit to act on), data files as they are now (a run
// may have written them itself).
func afterRound(atStart, now fileDigests) fileDigests {
	out := fileDigests{}
	for k, v := range now {
		if strings.HasPrefix(k, "config:") {
			if old, ok := atStart[k]; ok {
				v = old
			}
		}
		out[k] = v
	}
	return out
}

func fileDigest(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unreadable: " + err.Error()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
