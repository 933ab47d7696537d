package gitmirror

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/syncline/syncline/config"
)

// maxMessageLength bounds a commit message shown in a table.
const maxMessageLength = 50

// RevisionLabels describe the revisions the state records, for show and
// state history: the short SHA and, when the commit is found in a nearby
// repository, the first line of its message. The state keeps only the SHA;
// the repositories looked in are the ones holding the state file and the
// current directory, which is where a state made from a work tree lives.
type RevisionLabels struct {
	repos []*git.Repository
	cache map[string]string
}

// NewRevisionLabels opens the repositories that dirs are inside; dirs that
// are in none are skipped.
func NewRevisionLabels(dirs ...string) *RevisionLabels {
	l := &RevisionLabels{cache: map[string]string{}}
	seen := map[string]bool{}
	for _, dir := range dirs {
		r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
		if err != nil {
			continue
		}
		key := dir
		if wt, err := r.Worktree(); err == nil {
			key = wt.Filesystem.Root()
		}
		if abs, err := filepath.Abs(key); err == nil && !seen[abs] {
			seen[abs] = true
			l.repos = append(l.repos, r)
		}
	}
	return l
}

// Label is "-" for no revision, else the short SHA followed by the quoted
// first line of the commit message when it is known.
func (l *RevisionLabels) Label(rev string) string {
	if rev == "" {
		return "-"
	}
	if s, ok := l.cache[rev]; ok {
		return s
	}
	s := config.ShortCommit(rev)
	if msg := l.message(rev); msg != "" {
		s += fmt.Sprintf(" %q", truncateRunes(msg, maxMessageLength))
	}
	l.cache[rev] = s
	return s
}

// message finds the first line of the commit's message, "" when no repository has it.
func (l *RevisionLabels) message(rev string) string {
	if len(rev) != 40 {
		return ""
	}
	for _, r := range l.repos {
		if c, err := r.CommitObject(plumbing.NewHash(rev)); err == nil {
			first, _, _ := strings.Cut(strings.TrimSpace(c.Message), "\n")
			return strings.TrimSpace(first)
		}
	}
	return ""
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
