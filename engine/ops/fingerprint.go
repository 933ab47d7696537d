package ops

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/builtin"
	"github.com/syncline/syncline/state"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// TaskFingerprints identify, per enabled task, everything its runs depend
// on that a saved file can change: the task's applied definition, those of
// the resources its activities use, the data files of those resources,
// and the values of variables and locals (mappings read them).
func TaskFingerprints(cfg *config.Config, snap *state.Snapshot) map[string]string {
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

// DataFiles are the files a resource reads that up -watch follows, as
// its connector's optional DataFiles capability names them: a csv
// resource's file. Database files are not followed: runs write them.
func DataFiles(dir string, res *config.Resource) []string {
	return builtin.DataFiles(res, connector.Options{BaseDir: dir})
}

// dataDigest is the digest of a resource's data files' contents; a
// missing file has a digest too.
func dataDigest(dir string, res *config.Resource) string {
	h := sha256.New()
	for _, path := range DataFiles(dir, res) {
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
