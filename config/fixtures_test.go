package config

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
)

// expectation is one "# ERROR: Summary" (or WARNING) comment in a fixture:
// the diagnostic must be reported on that line.
type expectation struct {
	Line     int
	Severity string
	Summary  string
}

var expectRE = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*(.+?)\s*$`)

func readExpectations(t *testing.T, src []byte) []expectation {
	t.Helper()
	var out []expectation
	for i, line := range strings.Split(string(src), "\n") {
		if m := expectRE.FindStringSubmatch(line); m != nil {
			out = append(out, expectation{Line: i + 1, Severity: m[1], Summary: m[2]})
		}
	}
	return out
}

func gotExpectations(diags hcl.Diagnostics) []expectation {
	var out []expectation
	for _, d := range diags {
		sev := "ERROR"
		if d.Severity == hcl.DiagWarning {
			sev = "WARNING"
		}
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		out = append(out, expectation{Line: line, Severity: sev, Summary: d.Summary})
	}
	return out
}

func sortExpectations(e []expectation) {
	sort.Slice(e, func(i, j int) bool {
		if e[i].Line != e[j].Line {
			return e[i].Line < e[j].Line
		}
		return e[i].Summary < e[j].Summary
	})
}

// loadFixture loads one fixture file as a whole configuration directory.
func loadFixture(t *testing.T, path string, opts LoadOptions) (*Config, hcl.Diagnostics, []byte) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"main.hcl":         {Data: src},
		"data/hr.csv":      {Data: []byte("emp_id,login\n")},
		"secret.txt":       {Data: []byte("s3cret")},
		"not-utf8.txt":     {Data: []byte{0xff, 0xfe}},
		"ignored.vars.hcl": {Data: []byte("this is not { valid")},
	}
	cfg, diags := LoadFS(fsys, "", opts)
	return cfg, diags, src
}

// TestInvalidFixtures loads each file in testdata/invalid and checks that
// exactly the diagnostics its "# ERROR: Summary" comments announce are
// reported, on those lines.
func TestInvalidFixtures(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob("testdata/invalid/*.hcl")
	if len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			_, diags, src := loadFixture(t, path, LoadOptions{AllowUnsetVariables: true, Environ: []string{"HOME_DIR=/home/x"}})
			want := readExpectations(t, src)
			if len(want) == 0 {
				t.Fatal("fixture has no # ERROR: expectations")
			}
			got := gotExpectations(diags)
			sortExpectations(want)
			sortExpectations(got)
			if !equalExpectations(got, want) {
				t.Errorf("diagnostics differ\n got: %v\nwant: %v\nfull:\n%s", got, want, diags.Error())
			}
		})
	}
}

func equalExpectations(a, b []expectation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestValidFixtures loads each file in testdata/valid and expects no
// diagnostics at all.
func TestValidFixtures(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob("testdata/valid/*.hcl")
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			_, diags, _ := loadFixture(t, path, LoadOptions{AllowUnsetVariables: true, Environ: []string{"HOME_DIR=/home/x"}})
			if len(diags) > 0 {
				t.Errorf("unexpected diagnostics:\n%s", diags.Error())
			}
		})
	}
}
