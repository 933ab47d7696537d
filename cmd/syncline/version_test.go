package main

import (
	"encoding/json"
	"github.com/syncline/syncline/internal/views"
	"runtime"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"command", []string{"version"}, 0, "syncline " + currentVersion() + "\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n", ""},
		{"flag", []string{"-version"}, 0, "syncline " + currentVersion() + "\n", ""},
		{"double dash flag", []string{"--version"}, 0, "syncline " + currentVersion() + "\n", ""},
		{"extra argument", []string{"version", "extra"}, 1, "", `syncline version: unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, "", tt.args...)
			if res.code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			if !strings.HasPrefix(res.stdout, tt.wantStdout) {
				t.Errorf("stdout %q, want prefix %q", res.stdout, tt.wantStdout)
			}
			checkContains(t, "stderr", res.stderr, tt.wantStderr)
		})
	}
}

func TestVersionJSON(t *testing.T) {
	t.Parallel()
	res := runCLI(t, "", "version", "-json")
	if res.code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", res.code, res.stderr)
	}
	var got views.VersionInfo
	if err := json.Unmarshal([]byte(res.stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, res.stdout)
	}
	want := views.VersionInfo{Version: currentVersion(), GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
