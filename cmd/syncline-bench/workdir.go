package main

import (
	"os"
	"path/filepath"

	"github.com/syncline/syncline/internal/scenario"
)

// workDir is the benchmark's directory:
//
//	config/resources.hcl, config/tasks.hcl   the configuration
//	config/hr.csv                            the HR export
//	state.db                                 the store the phases share
//	baseline.db                              sqlite3's copy of the export
type workDir string

const csvName = "hr.csv"

func (w workDir) config() string     { return filepath.Join(string(w), "config") }
func (w workDir) csv() string        { return filepath.Join(w.config(), csvName) }
func (w workDir) store() string      { return filepath.Join(string(w), "state.db") }
func (w workDir) baselineDB() string { return filepath.Join(string(w), "baseline.db") }

// writeConfig writes the configuration, its activities using threads.
func (w workDir) writeConfig(threads int) error {
	if err := os.MkdirAll(w.config(), 0o755); err != nil {
		return err
	}
	return scenario.Write(w.config(), scenario.SyncFiles(csvName, threads))
}

// writeCSV writes the HR export, or its variant, in place of the last.
func (w workDir) writeCSV(h scenario.HR, variant bool) error {
	tmp := w.csv() + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := h.Write(f, variant); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, w.csv())
}
