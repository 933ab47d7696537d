package builtin_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/builtin"
	"github.com/zclconf/go-cty/cty"
)

func resource(connectorName string, attrs map[string]cty.Value) *config.Resource {
	return &config.Resource{Name: "hr", Connector: connectorName, Connection: &config.Connection{Attributes: attrs}}
}

func TestOpenCSVRelativeToBaseDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "hr.csv"), []byte("emp_id;groups\ne1;a|b\n"), 0o644)
	res := resource("csv", map[string]cty.Value{
		"path":                 cty.StringVal("data/hr.csv"),
		"identifier":           cty.StringVal("emp_id"),
		"delimiter":            cty.StringVal(";"),
		"multivalue_delimiter": cty.StringVal("|"),
	})
	c, err := builtin.Open(context.Background(), res, connector.Options{BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	obj, err := c.Get(context.Background(), "e1")
	if err != nil || strings.Join(obj.Attributes["groups"], ",") != "a,b" {
		t.Errorf("Get: %v, %v", obj, err)
	}
}

func TestOpenKeepsSensitiveSettingsOutOfErrors(t *testing.T) {
	t.Parallel()
	res := resource("csv", map[string]cty.Value{
		"path":       cty.StringVal("exports/secret-name.csv").Mark(config.Sensitive),
		"identifier": cty.StringVal("emp_id"),
	})
	c, err := builtin.Open(context.Background(), res, connector.Options{BaseDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get(context.Background(), "e1")
	if !errors.Is(err, connector.ErrUnreachable) || strings.Contains(err.Error(), "secret-name") || !strings.Contains(err.Error(), "(sensitive path)") {
		t.Errorf("error %q: want unreachable, naming the file only as (sensitive path)", err)
	}
}

func TestOpenRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		res  *config.Resource
		kind error
		want string
	}{
		{"ldap without base_dn", resource("ldap", map[string]cty.Value{"url": cty.StringVal("ldap://x")}), connector.ErrConfig,
			`resource "hr": open: invalid connection settings: the base_dn setting is required`},
		{"ldap refused", resource("ldap", map[string]cty.Value{"url": cty.StringVal("ldap://127.0.0.1:1"), "base_dn": cty.StringVal("dc=example,dc=org")}),
			connector.ErrUnreachable, `resource "hr": open: resource unreachable: could not connect`},
		{"ldap start_tls with ldaps", resource("ldap", map[string]cty.Value{"url": cty.StringVal("ldaps://x"), "base_dn": cty.StringVal("dc=x"), "start_tls": cty.True}),
			connector.ErrConfig, "an ldaps:// url is encrypted already"},
		{"unknown connector", resource("rest", nil), connector.ErrConfig, `unknown connector "rest"`},
		{"unknown value", resource("csv", map[string]cty.Value{"path": cty.UnknownVal(cty.String), "identifier": cty.StringVal("id")}),
			connector.ErrConfig, "the path setting has no value yet"},
		{"missing identifier", resource("csv", map[string]cty.Value{"path": cty.StringVal("x.csv")}), connector.ErrConfig,
			"the identifier setting is required"},
		{"long delimiter", resource("csv", map[string]cty.Value{"path": cty.StringVal("x.csv"), "identifier": cty.StringVal("id"), "delimiter": cty.StringVal(";;")}),
			connector.ErrConfig, "delimiter must be exactly one character"},
		{"no connection", &config.Resource{Name: "hr", Connector: "csv"}, connector.ErrConfig, "the resource has no connection block"},
		{"bad driver", resource("sql", map[string]cty.Value{"driver": cty.StringVal("oracle"), "dsn": cty.StringVal("x"), "table": cty.StringVal("t"), "key": cty.StringVal("k")}),
			connector.ErrConfig, `unknown driver "oracle"`},
		{"bad change type", resource("sql", map[string]cty.Value{"driver": cty.StringVal("sqlite"), "dsn": cty.StringVal("x"), "table": cty.StringVal("t"), "key": cty.StringVal("k"), "change_column_type": cty.StringVal("clock")}),
			connector.ErrConfig, `change_column_type must be "timestamp" or "sequence", not "clock"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := builtin.Open(context.Background(), tt.res, connector.Options{BaseDir: t.TempDir()})
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant %v containing %q", err, tt.kind, tt.want)
			}
		})
	}
}

func TestDataFiles(t *testing.T) {
	t.Parallel()
	abs := filepath.Join(t.TempDir(), "abs.csv")
	for _, tc := range []struct {
		name string
		res  *config.Resource
		want []string
	}{
		{"csv relative", resource("csv", map[string]cty.Value{"path": cty.StringVal("data/hr.csv")}), []string{filepath.Join("base", "data", "hr.csv")}},
		{"csv absolute", resource("csv", map[string]cty.Value{"path": cty.StringVal(abs)}), []string{abs}},
		{"csv sensitive", resource("csv", map[string]cty.Value{"path": cty.StringVal("hr.csv").Mark(config.Sensitive)}), []string{filepath.Join("base", "hr.csv")}},
		{"csv without path", resource("csv", map[string]cty.Value{}), nil},
		{"csv without connection", &config.Resource{Name: "hr", Connector: "csv"}, nil},
		{"sqlite", resource("sql", map[string]cty.Value{"driver": cty.StringVal("sqlite"), "dsn": cty.StringVal("app.db")}), nil},
		{"unknown connector", resource("nope", map[string]cty.Value{"path": cty.StringVal("x")}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := builtin.DataFiles(tc.res, connector.Options{BaseDir: "base"})
			if !slices.Equal(got, tc.want) {
				t.Errorf("DataFiles = %q, want %q", got, tc.want)
			}
		})
	}
}
