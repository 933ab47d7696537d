package config

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/syncline/syncline/internal/gittest"
)

func schedule(name, every string) string {
	return "schedule \"" + name + "\" {\n  every = \"" + every + "\"\n}\n"
}

// historyRepo has three commits on main — nightly every 1h, then 2h, then
// a second file — a tag v1 on the second and a branch feature on the third
// that changes nothing yet.
type historyRepo struct {
	*gittest.Repo
	first, second, third string
}

func newHistoryRepo(t *testing.T) *historyRepo {
	r := &historyRepo{Repo: gittest.New(t)}
	r.Write(map[string]string{"main.hcl": schedule("nightly", "1h")})
	r.first = r.Commit("Add the nightly schedule\n\nLonger explanation.")
	r.Write(map[string]string{"main.hcl": schedule("nightly", "2h")})
	r.second = r.Commit("Run nightly every two hours")
	r.Tag("v1")
	r.AuthorName, r.AuthorEmail = "Bob Builder", "bob@example.com"
	r.Write(map[string]string{"more.hcl": schedule("hourly", "1h")})
	r.third = r.Commit("Add hourly")
	r.Branch("feature")
	return r
}

func TestLoadGitRevisions(t *testing.T) {
	t.Parallel()
	r := newHistoryRepo(t)
	tests := []struct {
		ref, commit, every, schedules, author string
	}{
		{"HEAD", r.third, "2h0m0s", "hourly,nightly", "Bob Builder <bob@example.com>"},
		{"main", r.third, "2h0m0s", "hourly,nightly", "Bob Builder <bob@example.com>"},
		{"feature", r.third, "2h0m0s", "hourly,nightly", "Bob Builder <bob@example.com>"},
		{"v1", r.second, "2h0m0s", "nightly", "Alice Admin <alice@example.com>"},
		{"HEAD~2", r.first, "1h0m0s", "nightly", "Alice Admin <alice@example.com>"},
		{r.first, r.first, "1h0m0s", "nightly", "Alice Admin <alice@example.com>"},
		{r.first[:7], r.first, "1h0m0s", "nightly", "Alice Admin <alice@example.com>"},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			t.Parallel()
			cfg, rev, diags := LoadGit(r.Dir, tt.ref, "", LoadOptions{})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if rev.Commit != tt.commit || rev.Short != tt.commit[:7] || rev.Author != tt.author || rev.Ref != tt.ref {
				t.Errorf("revision = %+v, want commit %s by %s", rev, tt.commit, tt.author)
			}
			if got := strings.Join(SortedNames(cfg.Schedules), ","); got != tt.schedules {
				t.Errorf("schedules = %s, want %s", got, tt.schedules)
			}
			if got := cfg.Schedules["nightly"].Every.String(); got != tt.every {
				t.Errorf("nightly every = %s, want %s", got, tt.every)
			}
			wantFile := filepath.Join(filepath.Base(r.Dir)+"@"+tt.commit[:7], "main.hcl")
			if _, ok := cfg.Files[wantFile]; !ok {
				t.Errorf("Files = %v, want %s", SortedNames(cfg.Files), wantFile)
			}
		})
	}
}

func TestLoadGitRevisionFields(t *testing.T) {
	t.Parallel()
	r := newHistoryRepo(t)
	_, rev, diags := LoadGit(r.Dir, "HEAD~2", ".", LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if rev.Message != "Add the nightly schedule" {
		t.Errorf("message = %q, want the first line only", rev.Message)
	}
	if want := "2026-03-01 09:00"; rev.When.UTC().Format("2006-01-02 15:04") != want {
		t.Errorf("when = %s, want %s", rev.When, want)
	}
	if ShortCommit(rev.Commit) != rev.Short || ShortCommit("not-a-sha") != "not-a-sha" {
		t.Error("ShortCommit does not abbreviate only full SHAs")
	}
}

// TestLoadGitReadsTheRevisionNotTheWorkTree: uncommitted edits, in
// configuration files and in files file() reads, are invisible.
func TestLoadGitReadsTheRevisionNotTheWorkTree(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{
		"main.hcl":   schedule("nightly", "1h") + "locals {\n  token = file(\"token.txt\")\n}\n",
		"token.txt":  "committed",
		"broken.txt": "",
	})
	r.Commit("Add token")
	r.Write(map[string]string{"token.txt": "edited", "main.hcl": "this is { not hcl", "new.hcl": "nor { this"})
	cfg, _, diags := LoadGit(r.Dir, "HEAD", "", LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	v := cfg.Locals["token"].Value
	if !v.HasMark(Sensitive) {
		t.Fatal("file() from a revision is not sensitive")
	}
	if plain, _ := v.Unmark(); !plain.RawEquals(cty.StringVal("committed")) {
		t.Fatalf("file() read %#v, want the committed content", plain)
	}
}

func TestLoadGitBareRepository(t *testing.T) {
	t.Parallel()
	r := newHistoryRepo(t)
	bare := r.CloneBare()
	cfg, rev, diags := LoadGit(bare, "v1", "", LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if rev.Commit != r.second || len(cfg.Schedules) != 1 {
		t.Fatalf("revision %s with %d schedules, want %s with 1", rev.Commit, len(cfg.Schedules), r.second)
	}
	if cfg.Dir != "origin.git@"+rev.Short {
		t.Errorf("Dir = %q", cfg.Dir)
	}
}

func TestLoadGitSubdirectory(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{
		"README.md":            "# iam",
		"secret.txt":           "outside the configuration",
		"infra/iam/main.hcl":   schedule("nightly", "1h") + "locals {\n  x = file(\"data/x.txt\")\n}\n",
		"infra/iam/data/x.txt": "x",
	})
	sha := r.Commit("Add iam")
	for _, dir := range []string{"infra/iam", "infra/iam/", "./infra/iam"} {
		cfg, _, diags := LoadGit(r.Dir, "main", dir, LoadOptions{})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", dir, diags.Error())
		}
		want := filepath.Join(filepath.Base(r.Dir)+"@"+sha[:7], "infra/iam", "main.hcl")
		if _, ok := cfg.Files[want]; !ok {
			t.Errorf("%s: Files = %v, want %s", dir, SortedNames(cfg.Files), want)
		}
	}
	r.Write(map[string]string{"infra/iam/main.hcl": "locals {\n  x = file(\"../../secret.txt\")\n}\n"})
	r.Commit("Reach outside")
	_, _, diags := LoadGit(r.Dir, "main", "infra/iam", LoadOptions{})
	checkDiag(t, diags, "Invalid function argument", "invalid path")
}

func TestLoadGitErrors(t *testing.T) {
	t.Parallel()
	r := newHistoryRepo(t)
	r.Write(map[string]string{"docs/README.md": "no configuration here", "notes.txt": "x"})
	r.Commit("Add docs")
	empty := gittest.New(t)
	tests := []struct {
		name, repo, ref, dir string
		summary, detail      string
		noConfiguration      bool
	}{
		{"unknown branch", r.Dir, "featur", "", "Unknown revision", `"featur" is not a branch, tag or commit`, false},
		{"suggests a name", r.Dir, "featur", "", "Unknown revision", `Did you mean "feature"?`, false},
		{"lists names", r.Dir, "nope", "", "Unknown revision", "Branches: feature, main. Tags: v1.", false},
		{"suggests git log", r.Dir, "0123456789ab", "", "Unknown revision", `"git log --oneline"`, false},
		{"remote-tracking branch", r.Dir, "origin/main", "", "Unknown revision", "fetch-depth: 0", false},
		{"no commits", empty.Dir, "", "", "Unknown revision", "has no commits yet", false},
		{"not a repository", t.TempDir(), "HEAD", "", "Not a git repository", "is not a git repository", false},
		{"missing directory", filepath.Join(t.TempDir(), "nope"), "HEAD", "", "Not a git repository", "", false},
		{"remote URL", "https://example.com/iam.git", "main", "", "Remote repositories are not read here", "looks like a remote URL", false},
		{"scp-like remote", "git@example.com:org/iam.git", "main", "", "Remote repositories are not read here", "", false},
		{"path outside", r.Dir, "HEAD", "../x", "Invalid configuration path", `"../x"`, false},
		{"path missing at revision", r.Dir, "v1", "docs", "Configuration directory not found at revision", `The directory "docs" does not exist`, true},
		{"path is a file", r.Dir, "HEAD", "notes.txt", "Not a configuration directory", "is a file", false},
		{"no configuration at revision", r.Dir, "HEAD", "docs", "No configuration files at revision", `There are no *.hcl files in the directory "docs" at revision`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, rev, diags := LoadGit(tt.repo, tt.ref, tt.dir, LoadOptions{})
			if cfg == nil {
				t.Fatal("LoadGit returned a nil Config")
			}
			checkDiag(t, diags, tt.summary, tt.detail)
			if got := IsNoConfiguration(diags); got != tt.noConfiguration {
				t.Errorf("IsNoConfiguration = %v, want %v", got, tt.noConfiguration)
			}
			if tt.noConfiguration && rev == nil {
				t.Error("the revision was found, but LoadGit returned none")
			}
		})
	}
}

func TestLoadGitNoConfigurationAtTop(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"README.md": "# soon", "prod.vars.hcl": "x = 1\n"})
	r.Commit("Start")
	_, _, diags := LoadGit(r.Dir, "main", "", LoadOptions{})
	checkDiag(t, diags, "No configuration files at revision", "at the top at revision")
	if !IsNoConfiguration(diags) {
		t.Error("IsNoConfiguration = false")
	}
	r.Write(map[string]string{"main.hcl": "this is { not hcl"})
	r.Commit("Broken")
	_, _, diags = LoadGit(r.Dir, "main", "", LoadOptions{})
	if !diags.HasErrors() || IsNoConfiguration(diags) {
		t.Errorf("a syntax error counts as no configuration: %v", diags)
	}
}

// TestLoadGitSymlinks: no symbolic link in a revision is followed — not
// one that escapes the repository, not one that stays inside it.
func TestLoadGitSymlinks(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	outside := filepath.Join(t.TempDir(), "secret.txt")
	r.Write(map[string]string{"main.hcl": schedule("nightly", "1h"), "inside.txt": "inside", "real/x.hcl": schedule("x", "1h")})
	r.Symlink(outside, "escape.txt")
	r.Symlink("../../etc/passwd", "relative.txt")
	r.Symlink("inside.txt", "alias.txt")
	r.Symlink("real/x.hcl", "linked.hcl")
	r.Symlink("real", "linkdir")
	r.Commit("Links")
	for _, name := range []string{"escape.txt", "relative.txt", "alias.txt", "linkdir/x.hcl"} {
		r.Write(map[string]string{"main.hcl": "locals {\n  x = file(\"" + name + "\")\n}\n"})
		r.Commit("Read " + name)
		_, _, diags := LoadGit(r.Dir, "HEAD", "", LoadOptions{})
		checkDiag(t, diags, "Invalid function argument", "symbolic link")
	}
	cfg, _, diags := LoadGit(r.Dir, "HEAD~4", "", LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if _, ok := cfg.Schedules["x"]; ok {
		t.Error("linked.hcl was loaded through its symbolic link")
	}
	checkDiag(t, diags, "Symbolic link not loaded", "linked.hcl")
	_, _, diags = LoadGit(r.Dir, "HEAD", "linkdir", LoadOptions{})
	checkDiag(t, diags, "Not a configuration directory", "symbolic link")
}

// TestTreeFS runs the standard library's checks of an fs.FS over a
// revision's tree.
func TestTreeFS(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": schedule("a", "1h"), "data/b.txt": "b", "data/deep/c.txt": "c", "a.b": "x"})
	r.Symlink("main.hcl", "link.hcl")
	r.Commit("Tree")
	head, err := r.Git.Head()
	if err != nil {
		t.Fatal(err)
	}
	commit, err := r.Git.CommitObject(head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	root, err := commit.Tree()
	if err != nil {
		t.Fatal(err)
	}
	fsys := &treeFS{objects: r.Git.Storer, root: root, modTime: commit.Committer.When}
	if err := fstest.TestFS(fsys, "main.hcl", "a.b", "data/b.txt", "data/deep/c.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.Open("link.hcl"); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("opening a symbolic link: %v", err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "data/../main.hcl", ""} {
		if _, err := fsys.Open(bad); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
}

// checkDiag fails unless diags has a diagnostic with summary whose detail
// contains detail.
func checkDiag(t *testing.T, diags hcl.Diagnostics, summary, detail string) {
	t.Helper()
	for _, d := range diags {
		if d.Summary == summary && strings.Contains(d.Detail, detail) {
			return
		}
	}
	t.Errorf("no diagnostic %q with detail containing %q in:\n%v", summary, detail, diags)
}
