package csvfile

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
)

// Config is a csv connection, decoded.
type Config struct {
	// Path is the file; a relative path is relative to the process's
	// working directory (Open makes it relative to the configuration
	// directory first).
	Path string
	// Display is how messages name the file: the path as written in the
	// configuration, or "(sensitive path)". "" means Path.
	Display    string
	Identifier string
	// Delimiter separates fields; 0 means ','.
	Delimiter rune
	// Columns names the columns of a file without a header row; nil
	// means the first row is the header.
	Columns []string
	// MultivalueDelimiter splits a field into several values; 0 means
	// every attribute is single-valued.
	MultivalueDelimiter rune
	// StateDir holds the change feed's snapshots; "" turns the feed off.
	StateDir string
}

// Open opens the csv connector of res.
func Open(_ context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
	cfg, err := ConfigFrom(connector.NewSettings(res), opts)
	if err != nil {
		return nil, err
	}
	return New(res.Name, cfg)
}

// ConfigFrom reads a csv connection's settings.
func ConfigFrom(s connector.Settings, opts connector.Options) (Config, error) {
	var cfg Config
	var err error
	if cfg.Path, err = s.Required("path"); err != nil {
		return cfg, err
	}
	cfg.Display = cfg.Path
	if s.Sensitive("path") {
		cfg.Display = "(sensitive path)"
	}
	if !filepath.IsAbs(cfg.Path) {
		cfg.Path = filepath.Join(opts.BaseDir, cfg.Path)
	}
	if cfg.Identifier, err = s.Required("identifier"); err != nil {
		return cfg, err
	}
	if cfg.Delimiter, err = s.Rune("delimiter", ','); err != nil {
		return cfg, err
	}
	if cfg.MultivalueDelimiter, err = s.Rune("multivalue_delimiter", 0); err != nil {
		return cfg, err
	}
	cfg.Columns, err = s.Strings("columns")
	cfg.StateDir = opts.StateDir
	return cfg, err
}

// check reports settings that cannot work together.
func (cfg Config) check() error {
	switch d, m := cfg.Delimiter, cfg.MultivalueDelimiter; {
	case cfg.Path == "":
		return fmt.Errorf("path is required")
	case cfg.Identifier == "":
		return fmt.Errorf("identifier is required")
	case d == '"' || d == '\r' || d == '\n' || d == 0xFFFD:
		return fmt.Errorf("delimiter %q cannot separate fields", d)
	case m == '"' || m == '\r' || m == '\n' || m == 0xFFFD:
		return fmt.Errorf("multivalue_delimiter %q cannot separate values", m)
	case m != 0 && m == d:
		return fmt.Errorf("multivalue_delimiter and delimiter are both %q", d)
	case cfg.Columns != nil:
		return checkColumns(cfg.Columns, cfg.Identifier)
	}
	return nil
}

// checkColumns checks a header or a columns setting: names present, no
// duplicates, the identifier among them.
func checkColumns(cols []string, identifier string) error {
	for i, c := range cols {
		if c == "" {
			return fmt.Errorf("column %d has no name", i+1)
		}
		if j := slices.Index(cols[:i], c); j >= 0 {
			return fmt.Errorf("columns %d and %d are both named %q", j+1, i+1, c)
		}
	}
	if !slices.Contains(cols, identifier) {
		return fmt.Errorf("there is no identifier column %q among the %d columns %s", identifier, len(cols), quoteList(cols, 8))
	}
	return nil
}

// quoteList renders at most max names as "a", "b", … for messages.
func quoteList(names []string, max int) string {
	var out string
	for i, n := range names {
		if i == max {
			return out + fmt.Sprintf(", … (%d more)", len(names)-max)
		}
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", n)
	}
	return out
}

// DataFiles is the csv connector's connector.DataFilesFunc: a resource's
// data lives in the file its path setting names, relative to
// opts.BaseDir.
func DataFiles(res *config.Resource, opts connector.Options) []string {
	if res.Connection == nil {
		return nil
	}
	path := res.Connection.String("path")
	if path == "" {
		return nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(opts.BaseDir, path)
	}
	return []string{path}
}
