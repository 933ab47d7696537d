package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileConfigurationsEndInADiagnostic runs the built binary's
// validate and plan on the three configurations that once crashed it (a
// stack overflow, an unbounded string, a 24 GB allocation): each must exit
// 1 with the limit's diagnostic, print no Go panic, and stay far below 1 GB
// of memory.
func TestHostileConfigurationsEndInADiagnostic(t *testing.T) {
	bin := builtSyncline(t)
	var doubling strings.Builder
	doubling.WriteString("locals {\n  a0 = \"ab\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&doubling, "  a%d = \"${local.a%d}${local.a%d}\"\n", i, i-1, i-1)
	}
	doubling.WriteString("}\n")
	cases := []struct{ name, src, want string }{
		{"parentheses", "locals { a = " + strings.Repeat("(", 100_000) + "1" + strings.Repeat(")", 100_000) + " }\n", "Nesting too deep"},
		{"doubling", doubling.String(), "MaxValueBytes"},
		{"setproduct", "locals { p = setproduct(range(1024), range(1024), range(1024)) }\n", "MaxValueElements"},
	}
	for _, tc := range cases {
		for _, command := range []string{"validate", "plan"} {
			t.Run(tc.name+"/"+command, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(tc.src), 0o644); err != nil {
					t.Fatal(err)
				}
				code, out, rss, elapsed := runMeasured(t, bin, dir, command)
				t.Logf("%s %s: exit %d in %s, peak RSS %d MiB", tc.name, command, code, elapsed.Round(time.Millisecond), rss>>20)
				if code != 1 {
					t.Errorf("exit code %d, want 1\n%s", code, cut(out))
				}
				if !strings.Contains(out, tc.want) {
					t.Errorf("output does not name %q:\n%s", tc.want, cut(out))
				}
				for _, bad := range []string{"goroutine ", "panic:", "fatal error", "stack overflow"} {
					if strings.Contains(out, bad) {
						t.Errorf("output holds %q:\n%s", bad, cut(out))
					}
				}
				if rss > 1<<30 {
					t.Errorf("peak RSS %d MiB, want under 1 GiB", rss>>20)
				}
			})
		}
	}
}

// runMeasured runs bin in dir and returns its exit code, output, peak RSS
// in bytes (0 where the platform does not say) and duration.
func runMeasured(t *testing.T, bin, dir string, args ...string) (int, string, int64, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	start := time.Now()
	out, _ := cmd.CombinedOutput()
	elapsed := time.Since(start)
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && runtime.GOOS == "linux" {
		rss = ru.Maxrss << 10 // kilobytes on Linux
	}
	return cmd.ProcessState.ExitCode(), string(out), rss, elapsed
}

func cut(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
