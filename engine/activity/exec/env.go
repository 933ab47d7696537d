package exec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/syncline/syncline/config"
)

// execEnvironment is an exec activity's extra environment, unmarked for
// the command only. Its values never reach a run's record: only the names
// are shown, and the sensitive values are redacted from the output.
type execEnvironment struct {
	vars    map[string]string
	secrets []string // the values that were marked sensitive
}

// execEnv unmarks the env values; this is the only place a sensitive
// value of an exec activity is read.
func execEnv(env map[string]cty.Value) (execEnvironment, error) {
	out := execEnvironment{vars: make(map[string]string, len(env))}
	for name, v := range env {
		plain, marks := v.UnmarkDeep()
		if plain.IsNull() || !plain.IsKnown() || !plain.Type().Equals(cty.String) {
			return execEnvironment{}, fmt.Errorf("the environment variable %s has no string value", name)
		}
		s := plain.AsString()
		out.vars[name] = s
		if _, sensitive := marks[config.Sensitive]; sensitive && s != "" {
			out.secrets = append(out.secrets, s)
		}
	}
	// Longest first, so a secret that contains another is replaced whole.
	sort.Slice(out.secrets, func(i, j int) bool { return len(out.secrets[i]) > len(out.secrets[j]) })
	return out, nil
}

// pairs are the variables as "NAME=value", sorted.
func (e execEnvironment) pairs() []string {
	out := make([]string, 0, len(e.vars))
	for _, name := range config.SortedNames(e.vars) {
		out = append(out, name+"="+e.vars[name])
	}
	return out
}

// names lists the variable names, comma-separated and sorted.
func (e execEnvironment) names() string {
	return strings.Join(config.SortedNames(e.vars), ", ")
}

// redact replaces every sensitive value in s.
func (e execEnvironment) redact(s string) string {
	for _, secret := range e.secrets {
		s = strings.ReplaceAll(s, secret, "(sensitive value)")
	}
	return s
}

// commandLine shows a command and its arguments as a shell would read
// them; it is for people, never executed.
func commandLine(command string, args []string) string {
	parts := make([]string, 0, len(args)+1)
	for _, a := range append([]string{command}, args...) {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, unsafeInShell) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func unsafeInShell(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	case strings.ContainsRune("-_./:=@%+,", r):
		return false
	}
	return true
}
