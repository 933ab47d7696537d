package csvfile_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/csvfile"
)

func changes(t *testing.T, c *csvfile.Connector, token string) ([]string, string, error) {
	t.Helper()
	var got []string
	next, err := c.Changes(context.Background(), token, func(ch connector.Change) error {
		got = append(got, string(ch.Type)+" "+ch.ID)
		return nil
	})
	return got, next, err
}

func TestChangesFromExternalEdits(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	c, path := open(t, "emp_id,name\ne1,Ann\ne2,Bob\ne3,Cid\n", csvfile.Config{StateDir: state})
	_, t0, err := changes(t, c, "")
	if err != nil {
		t.Fatal(err)
	}
	// The HR system writes a new export: reordered, one changed, one gone, one new.
	os.WriteFile(path, []byte("emp_id,name\ne4,Dan\ne3,Cid\ne1,Anna\n"), 0o644)
	got, t1, err := changes(t, c, t0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ", ") != "create e4, update e1, delete e2" {
		t.Errorf("changes %q", got)
	}
	// A malformed row stops the feed: e2 must not look deleted.
	os.WriteFile(path, []byte("emp_id,name\ne4,Dan\ne3,Cid,extra\ne1,Anna\n"), 0o644)
	got, _, err = changes(t, c, t1)
	if !errors.Is(err, connector.ErrInvalidObject) || !strings.Contains(err.Error(), "line 3") || got != nil {
		t.Errorf("changes over a malformed file: %q, %v", got, err)
	}
	// A failing consumer keeps the token: the same changes come again.
	os.WriteFile(path, []byte("emp_id,name\ne4,Dan\ne1,Anna\n"), 0o644)
	boom := errors.New("boom")
	if _, err := c.Changes(context.Background(), t1, func(connector.Change) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("consumer error: %v", err)
	}
	got, _, err = changes(t, c, t1)
	if err != nil || strings.Join(got, ", ") != "delete e3" {
		t.Errorf("after a failed consumer: %q, %v", got, err)
	}
	snaps, _ := filepath.Glob(filepath.Join(state, "*.snapshot"))
	if len(snaps) != 2 {
		t.Errorf("snapshots kept: %q, want the committed one and the newest", snaps)
	}
}

func TestChangesBadTokens(t *testing.T) {
	t.Parallel()
	c, _ := open(t, "emp_id\ne1\n", csvfile.Config{StateDir: t.TempDir()})
	for _, tok := range []string{"garbage", "csv1:zz", "csv1:00000000000000000000000000000000", "sql1:{}"} {
		if _, _, err := changes(t, c, tok); !errors.Is(err, connector.ErrInvalidToken) {
			t.Errorf("token %q: %v, want ErrInvalidToken", tok, err)
		}
	}
	noState, _ := open(t, "emp_id\ne1\n", csvfile.Config{})
	if _, err := connector.Feed(noState); !errors.Is(err, connector.ErrUnsupported) {
		t.Errorf("Feed without a state directory: %v", err)
	}
}

func TestChangesKeepOtherResourcesSnapshots(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	dir := t.TempDir()
	mk := func(name, content string) *csvfile.Connector {
		path := filepath.Join(dir, name+".csv")
		os.WriteFile(path, []byte(content), 0o644)
		c, err := csvfile.New(name, csvfile.Config{Path: path, Identifier: "id", StateDir: state})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	hrx := mk("hr-a", "id\n1\n")
	hr := mk("hr", "id\n2\n")
	if _, _, err := changes(t, hrx, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := changes(t, hr, ""); err != nil {
		t.Fatal(err)
	}
	snaps, _ := filepath.Glob(filepath.Join(state, "csv-hr-a-*.snapshot"))
	if len(snaps) != 1 {
		t.Errorf("resource hr pruned the snapshots of hr-a: %q", snaps)
	}
}
