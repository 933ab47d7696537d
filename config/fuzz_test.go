package config

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to the loader as a configuration file. It
// must never panic, and it must return a Config whatever it is given.
// Run it with: go test ./config -fuzz FuzzLoad -fuzztime 60s
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.hcl")
	examples, _ := filepath.Glob("../examples/*/*.hcl")
	for _, path := range append(seeds, examples...) {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(`task "t" { after = [task.t, task.t] activity "exec" { command = "x" } }`))
	f.Add([]byte(`locals { a = local.a }`))
	for _, h := range hostileInputs() {
		if len(h.src) <= 1<<20 { // the fuzzer's own limit on seed size
			f.Add([]byte(h.src))
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := fstest.MapFS{"main.hcl": {Data: src}, "data.txt": {Data: []byte("x")}}
		cfg, _ := LoadFS(fsys, "", LoadOptions{AllowUnsetVariables: true, Environ: []string{"A=b"}})
		if cfg == nil {
			t.Fatal("nil Config")
		}
	})
}
