package gitmirror

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// hookMarker is the line that identifies a post-receive hook syncline wrote.
const hookMarker = "# syncline post-receive hook"

// Hook is a post-receive hook that runs syncline sync on every push to a
// branch of a bare repository.
type Hook struct {
	Repo string // the bare repository
	// Branch is the branch whose pushes are synced ("": the repository's
	// default branch).
	Branch string
	// State is the state the sync applies to; a path is made absolute.
	State string
	// Dir is the configuration directory inside the repository ("": the
	// sync block's path, else the top).
	Dir string
	// Syncline is the executable the hook runs.
	Syncline string
}

// InstalledHook is where a hook was written and what it does.
type InstalledHook struct {
	Path, Branch, State, Log string
}

// InstallHook writes h into its repository's hooks/post-receive. An
// existing hook that syncline did not write is left alone (an error); one
// it wrote is replaced.
func InstallHook(h Hook) (*InstalledHook, error) {
	repo, err := filepath.Abs(h.Repo)
	if err != nil {
		return nil, err
	}
	r, err := git.PlainOpen(repo)
	if err != nil {
		return nil, fmt.Errorf("cannot open the repository %s: %w", repo, err)
	}
	if _, err := r.Worktree(); !errors.Is(err, git.ErrIsBareRepository) {
		return nil, fmt.Errorf("%s is not a bare repository; install the hook into the repository pushes go to", repo)
	}
	branch := h.Branch
	if branch == "" {
		head, err := r.Reference(plumbing.HEAD, false)
		if err != nil || !head.Target().IsBranch() {
			return nil, errors.New("the repository has no default branch; name one with -branch")
		}
		branch = head.Target().Short()
	}
	statePath := h.State
	if !strings.Contains(statePath, "://") {
		if statePath, err = filepath.Abs(statePath); err != nil {
			return nil, err
		}
	}
	bin, err := filepath.Abs(h.Syncline)
	if err != nil {
		return nil, err
	}

	path := filepath.Join(repo, "hooks", "post-receive")
	if old, err := os.ReadFile(path); err == nil && !strings.Contains(string(old), hookMarker) {
		return nil, fmt.Errorf("%s already exists and was not written by syncline; leaving it alone (merge the two by hand, or remove it and run again)", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	script := hookScript(bin, repo, branch, statePath, h.Dir)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o755); err != nil {
		return nil, err
	}
	return &InstalledHook{Path: path, Branch: branch, State: statePath, Log: filepath.Join(repo, "hooks", "syncline.log")}, nil
}

// hookScript is the post-receive hook's text.
func hookScript(bin, repo, branch, statePath, dir string) string {
	pathArg := ""
	if dir != "" {
		pathArg = " -path " + ShellQuote(dir)
	}
	return `#!/bin/sh
` + hookMarker + `: written by "syncline hook install"; run it again to update.
SYNCLINE_BIN=` + ShellQuote(bin) + `
REPO=` + ShellQuote(repo) + `
BRANCH=` + ShellQuote(branch) + `
STATE=` + ShellQuote(statePath) + `
LOG="$REPO/hooks/syncline.log"
while read old new ref; do
  [ "$ref" = "refs/heads/$BRANCH" ] || continue
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) push to $BRANCH: $old -> $new" >>"$LOG"
  if (unset GIT_DIR GIT_QUARANTINE_PATH; "$SYNCLINE_BIN" -no-color sync -repo "$REPO" -branch "$BRANCH" -state "$STATE"` + pathArg + ` -auto-approve) >>"$LOG" 2>&1; then
    echo "syncline: synced $BRANCH at $new"
  else
    echo "syncline: the sync of $BRANCH failed; see $LOG"
  fi
done
`
}

// ShellQuote quotes s for sh.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
