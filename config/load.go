package config

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// LoadOptions carry the inputs that do not live in the configuration files.
type LoadOptions struct {
	// Vars are -var arguments, "name=value", applied in order after VarFiles.
	Vars []string
	// VarFiles are -var-file paths (relative to the working directory).
	VarFiles []string
	// Environ is the process environment as "KEY=value" pairs; it provides
	// SYNCLINE_VAR_name values and what env() returns. Nil means empty.
	Environ []string
	// AllowUnsetVariables gives required variables without a value an
	// unknown value instead of reporting an error (for validate).
	AllowUnsetVariables bool
}

// maxFileSize bounds one configuration or variable file.
const maxFileSize = 8 << 20

// ConfigFileSuffix names configuration files; files ending in
// VarFileSuffix are variable files and are read only through -var-file.
const (
	ConfigFileSuffix = ".hcl"
	VarFileSuffix    = ".vars.hcl"
)

// LoadDir loads every *.hcl file in dir (not *.vars.hcl, and not
// subdirectories). file() reads only inside dir: absolute paths, ".." and
// symbolic links that lead outside are refused. It always returns a non-nil
// Config whose Files hold what was parsed; the Config is complete only when
// diags has no errors.
func LoadDir(dir string, opts LoadOptions) (*Config, hcl.Diagnostics) {
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		cfg := newConfig(dir)
		return cfg, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration directory",
			Detail:   fmt.Sprintf("%q is not a readable directory. Pass the directory that holds your *.hcl files.", dir),
		}}
	}
	return LoadFS(rootFS(dir), dir, opts)
}

// LoadSettings reads only what the syncline block of the configuration
// in dir needs — the files, the variables and locals, the syncline block
// — and none of the resources, tasks and schedules: the commands that only
// look for the state use it. Variables without a value are allowed (their
// value is unknown), as for validate.
func LoadSettings(dir string, opts LoadOptions) (*Settings, hcl.Diagnostics) {
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return &Settings{}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration directory",
			Detail:   fmt.Sprintf("%q is not a readable directory. Pass the directory that holds your *.hcl files.", dir),
		}}
	}
	opts.AllowUnsetVariables = true
	// Only a file that holds the word can hold the block: the others are
	// not parsed, unless the block refers to what they declare (then
	// the quick load fails and every file is read).
	quick := &loader{cfg: newConfig(dir), opts: opts, fsys: rootFS(dir), settingsOnly: true,
		keep: func(src []byte) bool { return bytes.Contains(src, []byte("syncline")) }}
	if diags := quick.load(); !diags.HasErrors() || quick.none {
		if quick.none {
			return &Settings{}, nil // no file mentions a syncline block: the defaults
		}
		return quick.cfg.Settings, diags
	}
	l := &loader{cfg: newConfig(dir), opts: opts, fsys: rootFS(dir), settingsOnly: true}
	diags := l.load()
	return l.cfg.Settings, diags
}

// LoadFS loads the configuration files at the top of fsys. displayDir is
// joined to file names in diagnostics (for a git revision, say "repo@abc123").
func LoadFS(fsys fs.FS, displayDir string, opts LoadOptions) (*Config, hcl.Diagnostics) {
	l := &loader{cfg: newConfig(displayDir), opts: opts, fsys: fsys}
	return l.cfg, l.load()
}

type loader struct {
	cfg  *Config
	opts LoadOptions
	fsys fs.FS
	env  map[string]string
	// budget is the evaluation work Load may still do; sourceBytes counts
	// the configuration bytes read so far.
	budget      *budget
	sourceBytes int64
	// settingsOnly stops after the syncline block (LoadSettings).
	settingsOnly bool
	// keep, when set, picks the files to parse by their contents; none is
	// set when it kept none.
	keep func(src []byte) bool
	none bool
	// lines are the argument lines parsed so far (see parse_lines.go).
	lines *lineTemplates
}

// load runs the phases within the evaluation limits (see limits.go). A
// configuration is first loaded streamed (loadStreamed), which holds less
// at once; when that finds an error, the configuration is loaded again
// phase by phase, so that what is reported, and in what order, is what the
// phases find.
func (l *loader) load() hcl.Diagnostics {
	if !l.settingsOnly && l.keep == nil {
		if diags := l.loadWith(l.loadStreamed); !diags.HasErrors() {
			return diags
		}
		*l.cfg = *newConfig(l.cfg.Dir)
		*l = loader{cfg: l.cfg, opts: l.opts, fsys: l.fsys}
	}
	return l.loadWith(l.loadPhases)
}

// loadWith runs phases with a fresh evaluation budget.
func (l *loader) loadWith(phases func() hcl.Diagnostics) hcl.Diagnostics {
	l.env = environMap(l.opts.Environ)
	l.budget = newBudget(MaxLoadWork)
	l.cfg.Functions = limitFunctions(newFunctionTable(l.fsys, l.getenv, l.opts.AllowUnsetVariables), l.budget)
	defer l.budget.armed.Store(false) // later evaluations check single values only
	defer l.releaseSyntax()
	return runLimited(l.budget, phases)
}

// releaseSyntax keeps of each parsed file only its source, which
// diagnostics and canonical expressions quote. The decoded configuration
// holds the expressions it evaluates; the rest of the syntax trees, about
// half of what a loaded configuration holds, would otherwise stay reachable
// from Files. Once the top-level blocks are collected, nothing else needs
// them.
func (l *loader) releaseSyntax() {
	for name, f := range l.cfg.Files {
		l.cfg.Files[name] = &hcl.File{Bytes: f.Bytes}
	}
}

// loadPhases runs the phases; each returns early when going on could only
// add noise to the errors already found.
func (l *loader) loadPhases() hcl.Diagnostics {
	bodies, diags := l.parseFiles()
	if diags.HasErrors() {
		return diags
	}
	blocks, moreDiags := collectBlocks(bodies)
	l.releaseSyntax() // decodeNamed lets go of each block it decoded
	diags = append(diags, moreDiags...)
	valueDiags := l.decodeVariables(blocks["variable"])
	if !valueDiags.HasErrors() {
		valueDiags = append(valueDiags, l.decodeLocals(blocks["locals"])...)
	}
	diags = append(diags, valueDiags...)
	if valueDiags.HasErrors() {
		return diags // every later reference to a variable or local would fail too
	}
	sources := make(map[string][]byte, len(l.cfg.Files))
	for name, f := range l.cfg.Files {
		sources[name] = f.Bytes
	}
	d := &decoder{ctx: l.cfg.EvalContext(nil), memo: newCheckMemo(sources)}
	diags = append(diags, l.cfg.decodeSettings(d, blocks["syncline"])...)
	if l.settingsOnly {
		return diags
	}
	diags = append(diags, l.cfg.decodeSchedules(d, blocks["schedule"])...)
	diags = append(diags, l.cfg.decodeResources(d, blocks["resource"])...)
	diags = append(diags, l.cfg.decodeTasks(d, blocks["task"])...)
	diags = append(diags, l.cfg.decodeMoved(blocks["moved"])...)
	diags = append(diags, l.cfg.checkEmailNotifications()...)
	diags = append(diags, l.cfg.resolveReferences()...)
	return diags
}

func (l *loader) getenv(name string) (string, bool) {
	v, ok := l.env[name]
	return v, ok
}

// parseFiles parses every configuration file at the top of the source.
func (l *loader) parseFiles() ([]hcl.Body, hcl.Diagnostics) {
	names, diags := l.configNames()
	if diags != nil {
		return nil, diags
	}
	var bodies []hcl.Body
	for _, p := range l.parseAll(names) {
		diags = append(diags, p.diags...)
		if p.file != nil {
			l.cfg.Files[p.display] = p.file
			bodies = append(bodies, p.bodies...)
		}
	}
	if len(bodies) == 0 && !diags.HasErrors() && l.keep != nil {
		l.none = true
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No file kept"}}
	}
	if len(bodies) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail: fmt.Sprintf("Syncline reads the *%s files in %s and found none. Check the directory, or create one (see examples/quickstart).",
				ConfigFileSuffix, l.cfg.Dir),
		})
	}
	return bodies, diags
}

// configNames lists the configuration files at the top of the source.
func (l *loader) configNames() ([]string, hcl.Diagnostics) {
	entries, err := fs.ReadDir(l.fsys, ".")
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration directory",
			Detail:   fmt.Sprintf("Reading %s failed: %s.", l.cfg.Dir, err),
		}}
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ConfigFileSuffix) || strings.HasSuffix(name, VarFileSuffix) ||
			strings.HasPrefix(name, ".") {
			continue
		}
		names = append(names, name)
	}
	return names, nil
}

// parsedFile is one configuration file read and parsed.
type parsedFile struct {
	display string
	src     []byte
	file    *hcl.File
	bodies  []hcl.Body // the file's top-level bodies (see parseInPieces)
	diags   hcl.Diagnostics
}

// parseAll reads the files in order, counting their bytes against
// MaxConfigBytes, then parses them in parallel (one worker per CPU); the
// results are in the order of names.
func (l *loader) parseAll(names []string) []parsedFile {
	out, todo := l.readAll(names)
	if l.lines == nil {
		l.lines = newLineTemplates()
	}
	inParallelFrom(len(todo), 2, func(k int) {
		p := &out[todo[k]]
		p.file, p.bodies, p.diags = parseInPieces(p.src, p.display, l.lines)
	})
	l.lines = nil
	return out
}

// readAll reads the files in order, counting their bytes against
// MaxConfigBytes; todo lists those to parse.
func (l *loader) readAll(names []string) (out []parsedFile, todo []int) {
	out = make([]parsedFile, len(names))
	for i, name := range names {
		p := &out[i]
		p.display = filepath.Join(l.cfg.Dir, name)
		src, err := readLimited(l.fsys, name)
		if err != nil {
			p.diags = hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Cannot read configuration file",
				Detail:   fmt.Sprintf("Reading %s failed: %s.", p.display, err),
			}}
			continue
		}
		if p.diags = l.countSource(src, p.display); p.diags.HasErrors() {
			continue
		}
		if l.keep != nil && !l.keep(src) {
			continue
		}
		p.src = src
		todo = append(todo, i)
	}
	return out, todo
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if info.Size() > maxFileSize {
		return nil, fmt.Errorf("the file is larger than %d MiB", maxFileSize>>20)
	}
	return fs.ReadFile(fsys, name)
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "syncline"},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "schedule", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"name"}},
		{Type: "task", LabelNames: []string{"name"}},
		{Type: "moved"},
	},
}

// collectBlocks groups the top-level blocks of every file by type, in file
// order.
func collectBlocks(bodies []hcl.Body) (map[string][]*hcl.Block, hcl.Diagnostics) {
	blocks := map[string][]*hcl.Block{}
	var diags hcl.Diagnostics
	for _, body := range bodies {
		content, contentDiags := body.Content(rootSchema)
		diags = append(diags, contentDiags...)
		for _, b := range content.Blocks {
			blocks[b.Type] = append(blocks[b.Type], b)
		}
	}
	return blocks, diags
}

func environMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
