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
//	provision-sqlite/, provision-postgres/   the configurations of the
//	                                         provisioning phases
//	provision-*.state.db                     their stores
//	accounts.db, baseline-accounts.db        the SQLite account tables
type workDir string

const csvName = "hr.csv"

func (w workDir) config() string          { return filepath.Join(string(w), "config") }
func (w workDir) csv() string             { return filepath.Join(w.config(), csvName) }
func (w workDir) store() string           { return filepath.Join(string(w), "state.db") }
func (w workDir) baselineDB() string      { return filepath.Join(string(w), "baseline.db") }
func (w workDir) file(name string) string { return filepath.Join(string(w), name) }

// phaseConfig is the configuration directory of ph.
func (w workDir) phaseConfig(ph phase) string {
	if ph.target == "" {
		return w.config()
	}
	return w.file("provision-" + ph.target)
}

// phaseStore is the store of ph.
func (w workDir) phaseStore(ph phase) string {
	if ph.target == "" {
		return w.store()
	}
	return w.file("provision-" + ph.target + ".state.db")
}

// writeProvisionConfig writes the configuration of the provisioning
// phase to target: the export of config/, accounts to t.
func (w workDir) writeProvisionConfig(threads int, ph phase, t scenario.ProvisionTarget) error {
	dir := w.phaseConfig(ph)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return scenario.Write(dir, scenario.ProvisionFiles(w.csv(), threads, t))
}

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
