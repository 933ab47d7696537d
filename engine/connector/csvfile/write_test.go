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

// checkFile fails t unless the file holds want and its directory holds
// nothing but the file (no temporary file left behind).
func checkFile(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("file:\n%q\nwant\n%q", got, want)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %q, want only the file", names)
	}
}

func TestNoPartialWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name    string
		content string
		write   func(c *csvfile.Connector) error
		kind    error
		want    string
	}{
		{"update with a malformed row elsewhere", "emp_id,name\ne1,Ann\ne2,Bob,x\n",
			func(c *csvfile.Connector) error {
				return c.Update(ctx, "e1", []connector.Modification{connector.Replace("name", "Anna")})
			},
			connector.ErrInvalidObject, "line 3: invalid object: the row has 3 fields, the file has 2 columns\nQuote fields that contain ',', and give every row 2 fields. Nothing was written: fix the file first."},
		{"create with duplicate identifiers in the file", "emp_id,name\ne1,Ann\ne1,Bob\n",
			func(c *csvfile.Connector) error { return c.Create(ctx, connector.Object{ID: "e3"}) },
			connector.ErrInvalidObject, "lines 2 and 3 both have"},
		{"create of an existing identifier", "emp_id,name\ne1,Ann\n",
			func(c *csvfile.Connector) error { return c.Create(ctx, connector.Object{ID: "e1"}) },
			connector.ErrAlreadyExists, `create "e1": identifier already in use: line 2 has this emp_id`},
		{"unknown attribute", "emp_id,name\ne1,Ann\n",
			func(c *csvfile.Connector) error {
				return c.Create(ctx, connector.Object{ID: "e2", Attributes: connector.Attributes{"phone": {"1"}}})
			},
			connector.ErrInvalidObject, `unknown attribute "phone"` + "\nThe file's columns are \"emp_id\", \"name\"; syncline does not add columns."},
		{"canceled", "emp_id,name\ne1,Ann\n",
			func(c *csvfile.Connector) error { return c.Delete(canceled, "e1") },
			context.Canceled, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, path := open(t, tt.content, csvfile.Config{})
			err := tt.write(c)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant %v containing\n%s", err, tt.kind, tt.want)
			}
			checkFile(t, path, tt.content)
		})
	}
}

func TestRewriteKeepsOtherRowsByteForByte(t *testing.T) {
	t.Parallel()
	content := "\uFEFFemp_id,name,\"note\"\r\n\"e1\",\"Ann\",  spaced\r\ne2,Bob,\"multi\nline\"\r\n\r\ne3,Cid,x\r\n"
	c, path := open(t, content, csvfile.Config{})
	ctx := context.Background()
	if err := c.Update(ctx, "e2", []connector.Modification{connector.Replace("name", "Bobby")}); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, "\uFEFFemp_id,name,\"note\"\r\n\"e1\",\"Ann\",  spaced\r\ne2,Bobby,\"multi\nline\"\r\n\r\ne3,Cid,x\r\n")
	if err := c.Delete(ctx, "e1"); err != nil {
		t.Fatal(err)
	}
	if err := c.Create(ctx, connector.Object{ID: "e4", Attributes: connector.Attributes{"note": {"a, b"}}}); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, "\uFEFFemp_id,name,\"note\"\r\ne2,Bobby,\"multi\nline\"\r\n\r\ne3,Cid,x\r\ne4,,\"a, b\"\r\n")
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v after rewrite, want 0644 kept", info.Mode().Perm())
	}
}

func TestAppendWithoutTrailingNewline(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct {
		content, want string
		cfg           csvfile.Config
	}{
		"after a row":       {"emp_id,name\ne1,Ann", "emp_id,name\ne1,Ann\ne2,\n", csvfile.Config{}},
		"after the header":  {"emp_id,name", "emp_id,name\ne2,\n", csvfile.Config{}},
		"empty headerless":  {"", "e2,\n", csvfile.Config{Columns: []string{"emp_id", "name"}}},
		"only a BOM":        {"\uFEFF", "\uFEFFe2,\n", csvfile.Config{Columns: []string{"emp_id", "name"}}},
		"headerless no EOL": {"e1,Ann", "e1,Ann\ne2,\n", csvfile.Config{Columns: []string{"emp_id", "name"}}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, path := open(t, tt.content, tt.cfg)
			if err := c.Create(context.Background(), connector.Object{ID: "e2"}); err != nil {
				t.Fatal(err)
			}
			checkFile(t, path, tt.want)
		})
	}
}

func TestConcurrentWritesInOneProcess(t *testing.T) {
	t.Parallel()
	c, _ := open(t, "emp_id,n\n", csvfile.Config{})
	ctx := context.Background()
	errs := make(chan error)
	for i := range 20 {
		go func() { errs <- c.Create(ctx, connector.Object{ID: string(rune('a' + i))}) }()
	}
	for range 20 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if ids, errs := searchAll(c); len(ids) != 20 || errs != nil {
		t.Errorf("after 20 concurrent creates: %d objects, errors %q", len(ids), errs)
	}
}
