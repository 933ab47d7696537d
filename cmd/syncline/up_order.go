package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// taskOrder returns the enabled tasks in the order up runs them: a task
// after every task its after names, ties by name. With selected, only the
// selected tasks and those that run after them (transitively) are kept.
func taskOrder(tasks []*config.Task, selected map[string]bool) []*config.Task {
	byName := map[string]*config.Task{}
	for _, t := range tasks {
		if t.Enabled {
			byName[t.Name] = t
		}
	}
	if selected != nil {
		keep := map[string]bool{}
		for name := range selected {
			if byName[name] != nil {
				keep[name] = true
			}
		}
		for grew := true; grew; {
			grew = false
			for name, t := range byName {
				for _, ref := range t.After {
					if keep[ref.Name] && !keep[name] {
						keep[name], grew = true, true
					}
				}
			}
		}
		for name := range byName {
			if !keep[name] {
				delete(byName, name)
			}
		}
	}
	var order []*config.Task
	done := map[string]bool{}
	for len(order) < len(byName) {
		var ready []string
		for name, t := range byName {
			if !done[name] && afterDone(t, byName, done) {
				ready = append(ready, name)
			}
		}
		if len(ready) == 0 {
			break // a cycle; the configuration refuses those at load time
		}
		slices.Sort(ready)
		// One at a time, so that a task that becomes ready runs right
		// after what it waits for, before unrelated tasks later in the
		// alphabet.
		done[ready[0]] = true
		order = append(order, byName[ready[0]])
	}
	return order
}

// afterDone reports whether every task t runs after that is being run is
// done.
func afterDone(t *config.Task, run map[string]*config.Task, done map[string]bool) bool {
	for _, ref := range t.After {
		if run[ref.Name] != nil && !done[ref.Name] {
			return false
		}
	}
	return true
}

// taskFingerprints identify, per enabled task, everything its runs depend
// on that a saved file can change: the task's applied definition, those of
// the resources its activities use, the data files of its csv resources,
// and the values of variables and locals (mappings read them).
func taskFingerprints(cfg *config.Config, snap *state.Snapshot) map[string]string {
	values := sha256.New()
	for _, name := range config.SortedNames(cfg.Variables) {
		writeValueDigest(values, "var."+name, cfg.Variables[name].Value)
	}
	for _, name := range config.SortedNames(cfg.Locals) {
		writeValueDigest(values, "local."+name, cfg.Locals[name].Value)
	}
	shared := values.Sum(nil)
	data := map[string]string{} // resource name → digest of its data file
	out := map[string]string{}
	for _, name := range config.SortedNames(cfg.Tasks) {
		t := cfg.Tasks[name]
		h := sha256.New()
		h.Write(shared)
		fmt.Fprintf(h, "task=%s\n", definitionHash(snap, "task."+name))
		for _, act := range t.Activities {
			if act.Resource == nil {
				continue
			}
			res := cfg.Resources[act.Resource.Name]
			fmt.Fprintf(h, "resource.%s=%s\n", act.Resource.Name, definitionHash(snap, "resource."+act.Resource.Name))
			if res == nil {
				continue
			}
			d, ok := data[res.Name]
			if !ok {
				d = dataDigest(cfg.Dir, res)
				data[res.Name] = d
			}
			fmt.Fprintf(h, "data=%s\n", d)
		}
		out[name] = hex.EncodeToString(h.Sum(nil))
	}
	return out
}

func definitionHash(snap *state.Snapshot, addr string) string {
	if d := snap.Definitions[addr]; d != nil {
		return d.Hash
	}
	return "-"
}

// writeValueDigest writes a value's JSON form; marks (sensitive) do not
// matter to a digest that never leaves the process.
func writeValueDigest(h hash.Hash, name string, v cty.Value) {
	if v == cty.NilVal {
		fmt.Fprintf(h, "%s=nil\n", name)
		return
	}
	v, _ = v.UnmarkDeep()
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		b = []byte(v.GoString())
	}
	fmt.Fprintf(h, "%s=%s\n", name, b)
}

// dataFiles are the files a resource reads that up -watch follows: a csv
// resource's file. Database files are not followed: runs write them.
func dataFiles(dir string, res *config.Resource) []string {
	if res.Connector != "csv" || res.Connection == nil {
		return nil
	}
	path := res.Connection.String("path")
	if path == "" {
		return nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	return []string{path}
}

// dataDigest is the digest of a resource's data files' contents; a
// missing file has a digest too.
func dataDigest(dir string, res *config.Resource) string {
	h := sha256.New()
	for _, path := range dataFiles(dir, res) {
		fmt.Fprintf(h, "%s\n", path)
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(h, "unreadable: %v\n", err)
			continue
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			fmt.Fprintf(h, "unreadable: %v\n", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
