package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/config"
)

// TestConsoleSettings: tokens decode with their role and a secret marked
// sensitive, from env(); a wrong role, a missing secret and a duplicate
// name are errors; session_ttl has its default.
func TestConsoleSettings(t *testing.T) {
	t.Parallel()
	load := func(t *testing.T, text string) (*config.Config, string) {
		t.Helper()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, diags := config.LoadDir(dir, config.LoadOptions{Environ: []string{"TOKEN_A=secret-from-the-environment"}})
		if !diags.HasErrors() {
			return cfg, ""
		}
		return cfg, diags.Error()
	}
	cfg, errs := load(t, `syncline {
  console {
    token "alice" {
      role   = "operator"
      secret = env("TOKEN_A")
    }
  }
}`)
	if errs != "" {
		t.Fatal(errs)
	}
	c := cfg.Settings.Console
	if c == nil || c.SessionTTL != config.DefaultConsoleSessionTTL || len(c.Tokens) != 1 {
		t.Fatalf("console: %+v", c)
	}
	tok := c.Tokens[0]
	if tok.Name != "alice" || tok.Role != config.ConsoleOperator || !tok.Secret.HasMark(config.Sensitive) {
		t.Errorf("token: %+v", tok)
	}
	if v, _ := tok.Secret.Unmark(); v.AsString() != "secret-from-the-environment" {
		t.Errorf("secret not read from the environment")
	}
	block := func(body string) string { return "syncline {\n  console {\n" + body + "\n  }\n}\n" }
	for _, tt := range []struct{ text, want string }{
		{block("token \"a\" {\n role = \"admin\"\n secret = \"x\"\n}"), "admin"},
		{block("token \"a\" {\n role = \"viewer\"\n}"), `"secret" is required`},
		{block("token \"a\" {\n role = \"viewer\"\n secret = \"x\"\n}\ntoken \"a\" {\n role = \"viewer\"\n secret = \"y\"\n}"), "Duplicate token block"},
		{block("session_ttl = \"soon\""), "Invalid duration"},
	} {
		if _, errs := load(t, tt.text); !strings.Contains(errs, tt.want) {
			t.Errorf("%s: errors %q, want %q", tt.text, errs, tt.want)
		}
	}
}
