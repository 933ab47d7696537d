package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/syncline/syncline/state"
)

// recordingSource answers dir and records the serial of each snapshot it
// was asked about.
type recordingSource struct {
	dir    string
	serial chan int64
}

func (r recordingSource) ConfigDir(_ context.Context, st *state.Store, snap *state.Snapshot) string {
	if st == nil {
		panic("ConfigDir without the server's store")
	}
	r.serial <- snap.Serial
	return r.dir
}

// TestConfigSource: the server loads the configuration from the directory
// its ConfigSource answers for the applied snapshot.
func TestConfigSource(t *testing.T) {
	t.Parallel()
	b := setup(t, serveHCL)
	src := recordingSource{dir: b.Dir, serial: make(chan int64, 100)}
	srv := b.startServer(t, ServerConfig{Source: src})
	if got, want := <-src.serial, srv.Catalog().Serial(); got != want {
		t.Errorf("ConfigSource asked about serial %d, the catalog is at %d", got, want)
	}
	if len(srv.Catalog().Names()) == 0 {
		t.Error("nothing loaded from the ConfigSource's directory")
	}
}

// ExampleDirSource: a server without serve -sync loads the same
// directory whatever was applied.
func ExampleDirSource() {
	var src ConfigSource = DirSource("/etc/syncline")
	fmt.Println(src.ConfigDir(context.Background(), nil, &state.Snapshot{Serial: 7}))
	// Output: /etc/syncline
}
