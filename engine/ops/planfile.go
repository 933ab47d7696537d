package ops

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/atomicfile"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// PlanFileFormat versions the envelope of a saved plan; the plan inside
// carries its own format_version (docs/plan-format.md). Format 2 replaced
// format 1's unkeyed checksum with a MAC keyed by the state's secret key.
const PlanFileFormat = "2"

// maxPlanFileSize bounds what apply reads as a plan file.
const maxPlanFileSize = 256 << 20

// PlanFile is a saved plan: the plan itself plus what apply needs to check
// it against the world — where the configuration and the state are, and
// the non-secret variable options it was made with. It never holds a
// secret: sensitive values are only keyed fingerprints inside the plan,
// and -var options for sensitive variables are left out (give them again
// to apply). MAC authenticates the rest with the state's secret key, so
// only someone who can read the state can make or edit a plan file for it.
type PlanFile struct {
	Format    string `json:"syncline_plan_file"`
	ConfigDir string `json:"config_dir"` // "" for a plan made from git
	// Git is set for a plan made from a git revision: apply reloads the
	// configuration from the recorded commit.
	Git          *PlanFileGit    `json:"git,omitempty"`
	State        string          `json:"state"`
	Vars         []string        `json:"vars,omitempty"`
	VarFiles     []string        `json:"var_files,omitempty"`
	AllowDestroy bool            `json:"allow_destroy,omitempty"`
	Plan         json.RawMessage `json:"plan"`
	MAC          string          `json:"mac"`
}

// PlanFileGit is where a plan made from git read its configuration.
type PlanFileGit struct {
	Repo   string `json:"repo"`   // absolute path of the repository
	Ref    string `json:"ref"`    // the revision as given to plan
	Commit string `json:"commit"` // the full SHA it resolved to
	Path   string `json:"path"`   // the configuration directory inside the repository
	// Author and Message describe the commit for people reading the file.
	Author  string `json:"author"`
	Message string `json:"message"`
}

// Source is where apply reloads the plan's configuration from: the
// recorded commit (not the ref, which may have moved), or the directory.
func (f *PlanFile) Source() Source {
	if f.Git == nil {
		return DirSource(f.ConfigDir)
	}
	return Source{Repo: f.Git.Repo, Ref: f.Git.Commit, Path: f.Git.Path}
}

// Revision describes the commit a plan made from git was made from, for
// people; nil for a plan made from a directory.
func (f *PlanFile) Revision() *config.Revision {
	g := f.Git
	if g == nil {
		return nil
	}
	return &config.Revision{Commit: g.Commit, Short: config.ShortCommit(g.Commit), Ref: g.Ref, Author: g.Author, Message: g.Message}
}

// macPrefix names the MAC's algorithm in the file.
const macPrefix = "hmac-sha256:"

// Sign is the MAC the file should carry under key: HMAC-SHA256 of the
// file's JSON without its MAC.
func (f *PlanFile) Sign(key state.SecretKey) (string, error) {
	c := *f
	c.MAC = ""
	data, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return macPrefix + hex.EncodeToString(m.Sum(nil)), nil
}

// Authenticate checks the file's MAC with the key of the state it is
// applied to (or shown against). A file made against another state, or
// edited since, fails; which one it is can only be guessed from the
// lineage it claims, which is not trusted. path names the file in errors.
func (f *PlanFile) Authenticate(path string, p *planner.Plan, snap *state.Snapshot) error {
	want, err := f.Sign(snap.Key)
	if err == nil && hmac.Equal([]byte(want), []byte(f.MAC)) {
		return nil
	}
	if p.Lineage != snap.Lineage {
		claimed := "a new, empty state"
		if p.Lineage != "" {
			claimed = "lineage " + printableLineage(p.Lineage)
		}
		return fmt.Errorf("%s: the plan was made for another state (%s), but this state has lineage %s; make a new plan against this state",
			path, claimed, lineageOrNone(snap.Lineage))
	}
	return fmt.Errorf("%s: %w: its MAC does not match its content, so it was edited or not made by syncline plan against this state; make a new plan", path, ErrForeignPlanFile)
}

// SaveOptions are what plan -out records beside the plan.
type SaveOptions struct {
	State        string   // the state store planned against
	Vars         []string // the -var options; those of sensitive variables are left out
	VarFiles     []string
	AllowDestroy bool
}

// WritePlanFile saves pl to path, atomically, authenticated with the key
// of the state it was planned against.
func WritePlanFile(path string, pl *Planned, opts SaveOptions) error {
	var buf bytes.Buffer
	if err := planner.RenderJSON(&buf, pl.Plan); err != nil {
		return err
	}
	f := &PlanFile{
		Format:       PlanFileFormat,
		ConfigDir:    absPath(pl.Loaded.Source.Dir),
		State:        absPath(state.LocationWithoutSecrets(opts.State)),
		Vars:         plainVarOptions(opts.Vars, pl),
		AllowDestroy: opts.AllowDestroy,
		Plan:         json.RawMessage(buf.Bytes()),
	}
	if pl.Loaded.Revision != nil {
		f.ConfigDir = ""
		f.Git = &PlanFileGit{Repo: absPath(pl.Loaded.Source.Repo), Ref: pl.Loaded.Source.Ref, Commit: pl.Loaded.Revision.Commit, Path: pl.Loaded.Source.Path,
			Author: pl.Loaded.Revision.Author, Message: pl.Loaded.Revision.Message}
	}
	for _, vf := range opts.VarFiles {
		f.VarFiles = append(f.VarFiles, absPath(vf))
	}
	mac, err := f.Sign(pl.Key)
	if err != nil {
		return err
	}
	f.MAC = mac
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Create(path, append(data, '\n'), 0o600)
}

// plainVarOptions keeps the -var options of variables that are not
// sensitive.
func plainVarOptions(opts []string, pl *Planned) []string {
	var out []string
	for _, opt := range opts {
		name, _, _ := strings.Cut(opt, "=")
		if v, ok := pl.Loaded.Config.Variables[name]; ok && !v.Sensitive {
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

// ErrNotPlanFile and ErrForeignPlanFile say why a file is refused.
var (
	ErrNotPlanFile     = errors.New("not a Syncline plan file")
	ErrForeignPlanFile = errors.New("the plan file is not authentic")
)

// ReadPlanFile reads a saved plan and checks its format; the caller
// authenticates it against the state (PlanFile.Authenticate).
func ReadPlanFile(path string) (*PlanFile, *planner.Plan, error) {
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
		return nil, nil, fmt.Errorf("%s: %w (larger than %d MiB)", path, ErrNotPlanFile, maxPlanFileSize>>20)
	}
	var f PlanFile
	if err := json.Unmarshal(data, &f); err != nil || f.Format == "" || len(f.Plan) == 0 {
		return nil, nil, fmt.Errorf("%s: %w; make one with syncline plan -out FILE", path, ErrNotPlanFile)
	}
	if f.Format != PlanFileFormat {
		return nil, nil, fmt.Errorf("%s: plan file format %q is not supported by this syncline (it reads %q); make a new plan", path, f.Format, PlanFileFormat)
	}
	p, err := planner.DecodeJSON(f.Plan)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, p, nil
}

// printableLineage shows a lineage read from a file that is not trusted:
// as it is when it looks like one, quoted otherwise.
func printableLineage(l string) string {
	if len(l) <= 64 && strings.Trim(l, "0123456789abcdef-") == "" {
		return l
	}
	return strconv.Quote(l)
}

// lineageOrNone names a state's lineage, or says it has none yet.
func lineageOrNone(l string) string {
	if l == "" {
		return "(none yet)"
	}
	return l
}

// StoreCreated names a store InitMissing created.
type StoreCreated struct {
	Path, Lineage string
}

// InitMissing creates the store at location when there is none, as
// syncline init does, so that a saved plan can be authenticated with the
// state's secret key. It returns nil when the store was there already.
func InitMissing(ctx context.Context, location string) (*StoreCreated, error) {
	if err := state.CheckLocation(location); err != nil {
		return nil, err
	}
	if ok, err := state.Exists(ctx, location); err != nil || ok {
		return nil, err
	}
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	lineage, created, err := st.Init(ctx)
	if err != nil || !created {
		return nil, err
	}
	return &StoreCreated{Path: st.Path(), Lineage: lineage}, nil
}
