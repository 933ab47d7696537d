package main

import (
	"strings"
	"testing"
)

// TestPlanRefusesUnsupportedState: a state location this version cannot
// open is an error for plan too, not an empty state with everything to
// add.
func TestPlanRefusesUnsupportedState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		location string
		want     string
	}{
		{"postgres unreachable", "postgres://syncline:Xq9-pw@127.0.0.1:1/state?password=Xq9-pw", "cannot connect to PostgreSQL"},
		{"unknown scheme", "etcd://syncline:Xq9-pw@127.0.0.1/state", `unknown scheme "etcd"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyQuickstart(t)
			res := runCLI(t, "", "-no-color", "plan", "-state", tt.location, dir)
			if res.code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", res.code, res.stdout, res.stderr)
			}
			checkContains(t, "stderr", res.stderr, tt.want)
			if res.stdout != "" {
				t.Errorf("plan printed a plan:\n%s", res.stdout)
			}
			if strings.Contains(res.stderr, "Xq9-pw") {
				t.Errorf("the password reached the error:\n%s", res.stderr)
			}
		})
	}
}
