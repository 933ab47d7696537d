package csvfile_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/csvfile"
)

// layout is how a conformance run lays out its files.
type layout struct {
	delim      rune
	multi      rune
	headerless bool // columns setting instead of a header row
	bom        bool
	crlf       bool
}

func TestConformance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		l    layout
	}{
		{"header", layout{}},
		{"semicolon multivalue", layout{delim: ';', multi: '|'}},
		{"headerless tab", layout{delim: '\t', headerless: true}},
		{"bom crlf", layout{bom: true, crlf: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := connectortest.Harness{New: tt.l.newResource, NormalizesCRLF: true}
			if tt.l.multi != 0 {
				h.Forbidden = string(tt.l.multi)
			}
			connectortest.Run(t, h)
		})
	}
}

// newResource writes an empty file for s and opens a connector on it.
func (l layout) newResource(t *testing.T, s connectortest.Schema) connectortest.Resource {
	path := filepath.Join(t.TempDir(), "people.csv")
	var head strings.Builder
	if l.bom {
		head.WriteString("\uFEFF")
	}
	if !l.headerless {
		w := l.writer(&head)
		w.Write(s.Attributes)
		w.Flush()
	}
	if err := os.WriteFile(path, []byte(head.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := csvfile.Config{Path: path, Identifier: s.Identifier, Delimiter: l.delim, MultivalueDelimiter: l.multi, StateDir: t.TempDir()}
	if l.headerless {
		cfg.Columns = s.Attributes
	}
	c, err := csvfile.New("people", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return connectortest.Resource{Connector: c, Seed: func(t *testing.T, objs []connector.Object) { l.seed(t, path, s, objs) }}
}

func (l layout) writer(w interface{ WriteString(string) (int, error) }) *csv.Writer {
	cw := csv.NewWriter(w.(interface {
		Write([]byte) (int, error)
	}))
	if l.delim != 0 {
		cw.Comma = l.delim
	}
	cw.UseCRLF = l.crlf
	return cw
}

// seed appends rows for objs straight to the file.
func (l layout) seed(t *testing.T, path string, s connectortest.Schema, objs []connector.Object) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := l.writer(f)
	for _, o := range objs {
		rec := make([]string, len(s.Attributes))
		for i, a := range s.Attributes {
			rec[i] = strings.Join(o.Attributes[a], string(l.multi))
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
}
