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

// open writes content to a file in a new directory and opens a connector
// on it; cfg's Path is set to the file.
func open(t *testing.T, content string, cfg csvfile.Config) (*csvfile.Connector, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hr.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Path, cfg.Display = path, "data/hr.csv"
	if cfg.Identifier == "" {
		cfg.Identifier = "emp_id"
	}
	c, err := csvfile.New("hr", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, path
}

// searchAll returns the identifiers found and the error messages, in order.
func searchAll(c connector.Connector) (ids []string, errs []string) {
	for obj, err := range c.Search(context.Background(), connector.Query{}) {
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		ids = append(ids, obj.ID)
	}
	return ids, errs
}

func TestSearchBadRows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		content  string
		cfg      csvfile.Config
		wantIDs  string   // comma-separated
		wantErrs []string // one substring per error, in order
	}{
		{
			name:     "wrong field count on one row",
			content:  "emp_id,name\ne1,Ann\ne2,Bob,extra\ne3,Cid\n",
			wantIDs:  "e1,e3",
			wantErrs: []string{`resource "hr": search line 3: invalid object: the row has 3 fields, the file has 2 columns`},
		},
		{
			name:     "bare quote",
			content:  "emp_id,name\ne1,An\"n\ne2,Bob\n",
			wantIDs:  "e2",
			wantErrs: []string{`search line 2: invalid object: column 6: bare " in non-quoted-field`},
		},
		{
			name:     "duplicate identifiers",
			content:  "emp_id,name\ne1,Ann\ne2,Bob\ne1,Again\ne3,Cid\n",
			wantIDs:  "e1,e2,e3",
			wantErrs: []string{`search "e1" line 4: invalid object: duplicate identifier: lines 2 and 4 both have emp_id "e1"`},
		},
		{
			name:     "not UTF-8",
			content:  "emp_id,name\ne1,Ji\xf8\xed\ne2,Bob\n",
			wantIDs:  "e2",
			wantErrs: []string{"line 2: invalid object: the text is not valid UTF-8\nSave the file as UTF-8"},
		},
		{
			name:     "empty identifier",
			content:  "emp_id,name\n,Nobody\ne2,Bob\n",
			wantIDs:  "e2",
			wantErrs: []string{`line 2: invalid object: the identifier column "emp_id" is empty`},
		},
		{
			name:     "white-space identifier",
			content:  "emp_id,name\n e1,Ann\n   ,Nobody\ne2,Bob\n",
			wantIDs:  " e1,e2",
			wantErrs: []string{`line 3: invalid object: the identifier column "emp_id" holds only white space`},
		},
		{
			name:     "wrong delimiter without header",
			content:  "e1;Ann\ne2;Bob\n",
			cfg:      csvfile.Config{Columns: []string{"emp_id", "name"}},
			wantErrs: []string{"line 1: invalid object: the row has 1 fields, the file has 2 columns\nThe row is one field containing ';'", "line 2:"},
		},
		{
			name:     "wrong delimiter with header",
			content:  "emp_id;name\ne1;Ann\n",
			wantErrs: []string{`search line 1: schema mismatch: there is no identifier column "emp_id" among the 1 columns "emp_id;name"` + "\n" + `The row is one field containing ';': the file may use ';' as its delimiter; set delimiter = ";".`},
		},
		{
			name:     "no identifier column",
			content:  "id,name\ne1,Ann\n",
			wantErrs: []string{`there is no identifier column "emp_id" among the 2 columns "id", "name"`},
		},
		{
			name:     "duplicate column names",
			content:  "emp_id,name,name\n",
			wantErrs: []string{`schema mismatch: columns 2 and 3 are both named "name"`},
		},
		{
			name:     "empty file",
			content:  "",
			wantErrs: []string{`schema mismatch: data/hr.csv is empty; it has no header row`},
		},
		{
			name:     "unterminated quote at the end",
			content:  "emp_id,name\ne1,Ann\ne2,\"Bob\n",
			wantIDs:  "e1",
			wantErrs: []string{`line 3: invalid object: extraneous or missing " in quoted-field`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := open(t, tt.content, tt.cfg)
			ids, errs := searchAll(c)
			if got := strings.Join(ids, ","); got != tt.wantIDs {
				t.Errorf("ids %q, want %q", got, tt.wantIDs)
			}
			if len(errs) != len(tt.wantErrs) {
				t.Fatalf("errors %q, want %d", errs, len(tt.wantErrs))
			}
			for i, want := range tt.wantErrs {
				if !strings.Contains(errs[i], want) {
					t.Errorf("error %d:\n%s\nwant it to contain\n%s", i, errs[i], want)
				}
			}
		})
	}
}

func TestMissingAndUnreadableFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	unreadable := filepath.Join(dir, "secret.csv")
	os.WriteFile(unreadable, []byte("emp_id\n"), 0o000)
	tests := []struct {
		name, path, want string
		skipRoot         bool
	}{
		{"missing", filepath.Join(dir, "missing.csv"), "resource unreachable: file data/hr.csv does not exist\nCheck the path setting", false},
		{"directory", dir, "data/hr.csv is a directory, not a CSV file", false},
		{"unreadable", unreadable, "cannot read data/hr.csv: permission denied", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.skipRoot && os.Geteuid() == 0 {
				t.Skip("root reads files whatever their mode")
			}
			c, err := csvfile.New("hr", csvfile.Config{Path: tt.path, Display: "data/hr.csv", Identifier: "emp_id"})
			if err != nil {
				t.Fatal(err)
			}
			for name, err := range map[string]error{
				"get":    getErr(c),
				"search": firstErr(c),
				"create": c.Create(context.Background(), connector.Object{ID: "e1"}),
			} {
				if !errors.Is(err, connector.ErrUnreachable) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `resource "hr"`) {
					t.Errorf("%s: %v\nwant ErrUnreachable containing %q", name, err, tt.want)
				}
				if strings.Contains(err.Error(), dir) {
					t.Errorf("%s: %v names the real path; only the display path may appear", name, err)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "missing.csv")); err == nil {
				t.Errorf("a failed create made the file")
			}
		})
	}
}

func getErr(c connector.Connector) error {
	_, err := c.Get(context.Background(), "e1")
	return err
}

func firstErr(c connector.Connector) error {
	for _, err := range c.Search(context.Background(), connector.Query{}) {
		return err
	}
	return nil
}

func TestGetDuplicatesAndBadRows(t *testing.T) {
	t.Parallel()
	c, _ := open(t, "emp_id,name\ne1,Ann\ne2,Bob,extra\ne1,Again\n", csvfile.Config{})
	_, err := c.Get(context.Background(), "e1")
	if !errors.Is(err, connector.ErrInvalidObject) || !strings.Contains(err.Error(), "lines 2 and 4") {
		t.Errorf("Get of a duplicate: %v", err)
	}
	// The absent identifier might be on the unreadable row: not "not found".
	_, err = c.Get(context.Background(), "e9")
	if !errors.Is(err, connector.ErrInvalidObject) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("Get with an unreadable row: %v, want that row's error", err)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]csvfile.Config{
		"quote delimiter":      {Path: "x", Identifier: "id", Delimiter: '"'},
		"same delimiters":      {Path: "x", Identifier: "id", Delimiter: ';', MultivalueDelimiter: ';'},
		"identifier not in":    {Path: "x", Identifier: "id", Columns: []string{"a", "b"}},
		"duplicate columns":    {Path: "x", Identifier: "a", Columns: []string{"a", "a"}},
		"no identifier":        {Path: "x"},
		"newline multivalue":   {Path: "x", Identifier: "id", MultivalueDelimiter: '\n'},
		"empty column setting": {Path: "x", Identifier: "id", Columns: []string{"id", ""}},
	} {
		if _, err := csvfile.New("hr", cfg); !errors.Is(err, connector.ErrConfig) {
			t.Errorf("%s: %v, want ErrConfig", name, err)
		}
	}
}
