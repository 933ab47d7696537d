package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/syncline/syncline/planner"
	"github.com/urfave/cli/v3"
)

// planFileFormat versions the envelope of a saved plan; the plan inside
// carries its own format_version (docs/plan-format.md).
const planFileFormat = "1"

// maxPlanFileSize bounds what apply reads as a plan file.
const maxPlanFileSize = 256 << 20

// planFile is a saved plan: the plan itself plus what apply needs to check
// it against the world — where the configuration and the state are, and
// the non-secret variable options it was made with. It never holds a
// secret: sensitive values are only hashes inside the plan, and -var
// options for sensitive variables are left out (give them again to apply).
type planFile struct {
	Format    string `json:"syncline_plan_file"`
	ConfigDir string `json:"config_dir"` // "" for a plan made from git
	// Git is set for a plan made from a git revision: apply reloads the
	// configuration from the recorded commit.
	Git          *planFileGit    `json:"git,omitempty"`
	State        string          `json:"state"`
	Vars         []string        `json:"vars,omitempty"`
	VarFiles     []string        `json:"var_files,omitempty"`
	AllowDestroy bool            `json:"allow_destroy,omitempty"`
	Plan         json.RawMessage `json:"plan"`
	Checksum     string          `json:"checksum"`
}

// planFileGit is where a plan made from git read its configuration.
type planFileGit struct {
	Repo   string `json:"repo"`   // absolute path of the repository
	Ref    string `json:"ref"`    // the revision as given to plan
	Commit string `json:"commit"` // the full SHA it resolved to
	Path   string `json:"path"`   // the configuration directory inside the repository
	// Author and Message describe the commit for people reading the file.
	Author  string `json:"author"`
	Message string `json:"message"`
}

// source is where apply reloads the plan's configuration from: the
// recorded commit (not the ref, which may have moved), or the directory.
func (f *planFile) source() configSource {
	if f.Git == nil {
		return dirSource(f.ConfigDir)
	}
	return configSource{repo: f.Git.Repo, ref: f.Git.Commit, path: f.Git.Path}
}

func (f *planFile) sum() (string, error) {
	c := *f
	c.Checksum = ""
	data, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(h[:]), nil
}

// writePlanFile saves pl to path, atomically.
func writePlanFile(path string, pl *planned, cmd *cli.Command) error {
	var buf bytes.Buffer
	if err := planner.RenderJSON(&buf, pl.plan); err != nil {
		return err
	}
	f := &planFile{
		Format:       planFileFormat,
		ConfigDir:    absPath(pl.dir),
		State:        absPath(pl.location),
		Vars:         plainVarOptions(cmd.StringSlice("var"), pl),
		AllowDestroy: cmd.Bool("allow-destroy"),
		Plan:         json.RawMessage(buf.Bytes()),
	}
	if pl.rev != nil {
		f.ConfigDir = ""
		f.Git = &planFileGit{Repo: absPath(pl.src.repo), Ref: pl.src.ref, Commit: pl.rev.Commit, Path: pl.src.path,
			Author: pl.rev.Author, Message: pl.rev.Message}
	}
	for _, vf := range cmd.StringSlice("var-file") {
		f.VarFiles = append(f.VarFiles, absPath(vf))
	}
	sum, err := f.sum()
	if err != nil {
		return err
	}
	f.Checksum = sum
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return writeFileCreate(path, append(data, '\n'), 0o600)
}

// plainVarOptions keeps the -var options of variables that are not
// sensitive.
func plainVarOptions(opts []string, pl *planned) []string {
	var out []string
	for _, opt := range opts {
		name, _, _ := strings.Cut(opt, "=")
		if v, ok := pl.cfg.Variables[name]; ok && !v.Sensitive {
			out = append(out, opt)
		}
	}
	return out
}

func absPath(p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// errNotPlanFile and errCorruptPlanFile say why a file is refused.
var (
	errNotPlanFile     = errors.New("not a Syncline plan file")
	errCorruptPlanFile = errors.New("the plan file is corrupt: its checksum does not match its content")
)

// readPlanFile reads and checks a saved plan.
func readPlanFile(path string) (*planFile, *planner.Plan, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the plan file: %w", err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxPlanFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading the plan file %s: %w", path, err)
	}
	if len(data) > maxPlanFileSize {
		return nil, nil, fmt.Errorf("%s: %w (larger than %d MiB)", path, errNotPlanFile, maxPlanFileSize>>20)
	}
	var f planFile
	if err := json.Unmarshal(data, &f); err != nil || f.Format == "" || len(f.Plan) == 0 {
		return nil, nil, fmt.Errorf("%s: %w; make one with syncline plan -out FILE", path, errNotPlanFile)
	}
	if f.Format != planFileFormat {
		return nil, nil, fmt.Errorf("%s: plan file format %q is not supported by this syncline (it reads %q); make a new plan", path, f.Format, planFileFormat)
	}
	if sum, err := f.sum(); err != nil || sum != f.Checksum {
		return nil, nil, fmt.Errorf("%s: %w", path, errCorruptPlanFile)
	}
	p, err := planner.DecodeJSON(f.Plan)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, p, nil
}
