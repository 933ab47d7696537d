package config

import (
	"fmt"
	"net/url"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ConnectorAttribute describes one setting in a resource's connection block.
type ConnectorAttribute struct {
	Name     string
	Type     cty.Type
	Required bool
	Enum     []string
	// Secret settings are always redacted in plans, even when written as
	// literals (write them from a sensitive variable or env()).
	Secret bool
	Doc    string
}

// Connectors lists the connectors this version knows, each with the schema
// of its connection block. The engine's connector implementations read the
// same names.
var Connectors = map[string][]ConnectorAttribute{
	"csv": {
		{Name: "path", Type: cty.String, Required: true, Doc: "file path, relative to the configuration directory"},
		{Name: "identifier", Type: cty.String, Required: true, Doc: "column that identifies a row"},
		{Name: "delimiter", Type: cty.String, Doc: `field delimiter, one character (default ",")`},
		{Name: "columns", Type: cty.List(cty.String), Doc: "column names when the file has no header row"},
		{Name: "multivalue_delimiter", Type: cty.String, Doc: "splits a field into several values"},
	},
	"sql": {
		{Name: "driver", Type: cty.String, Required: true, Enum: []string{"postgres", "mysql", "sqlite"}, Doc: "database driver"},
		{Name: "dsn", Type: cty.String, Required: true, Secret: true, Doc: "data source name; for sqlite a file path relative to the configuration directory"},
		{Name: "table", Type: cty.String, Required: true, Doc: "table name"},
		{Name: "schema", Type: cty.String, Doc: "schema that holds the table"},
		{Name: "key", Type: cty.String, Required: true, Doc: "column that identifies a row"},
		{Name: "columns", Type: cty.List(cty.String), Doc: "columns to read and write (default: all); with create_table, the columns to create"},
		{Name: "create_table", Type: cty.Bool, Doc: "create the table (key and columns, as text) when it does not exist (default false)"},
		{Name: "change_column", Type: cty.String, Doc: "column that grows on every change, for live sync"},
		{Name: "change_column_type", Type: cty.String, Enum: []string{"timestamp", "sequence"}, Doc: `"timestamp" (default) or "sequence"`},
	},
	"ldap": {
		{Name: "url", Type: cty.String, Required: true, Doc: "ldap:// or ldaps:// URL"},
		{Name: "bind_dn", Type: cty.String, Doc: "DN to bind as"},
		{Name: "bind_password", Type: cty.String, Secret: true, Doc: "password for bind_dn"},
		{Name: "base_dn", Type: cty.String, Required: true, Doc: "subtree searched and written"},
		{Name: "filter", Type: cty.String, Doc: "LDAP filter added to every search"},
		{Name: "identifier", Type: cty.String, Doc: `attribute that identifies an entry (default "entryUUID")`},
		{Name: "naming_attribute", Type: cty.String, Doc: `RDN attribute for new entries (default "uid")`},
		{Name: "container", Type: cty.String, Doc: "DN new entries are created under (default base_dn)"},
		{Name: "object_classes", Type: cty.List(cty.String), Doc: `object classes of new entries; the first is searched by default (default ["inetOrgPerson"])`},
		{Name: "page_size", Type: cty.Number, Doc: "paged search size (default: the caller's, 500)"},
		{Name: "start_tls", Type: cty.Bool, Doc: "upgrade ldap:// with StartTLS"},
		{Name: "ca_file", Type: cty.String, Doc: "PEM file of the certificate authorities to trust, relative to the configuration directory (default: the system's)"},
		{Name: "insecure_skip_verify", Type: cty.Bool, Doc: "accept any server certificate (testing only; warns)"},
		{Name: "timeout", Type: cty.String, Doc: `connection and operation timeout (default "30s")`},
	},
}

// ConnectorNames returns the known connector names sorted.
func ConnectorNames() []string { return SortedNames(Connectors) }

// IdentifierSetting names the connection setting that identifies objects
// for each connector.
var IdentifierSetting = map[string]string{"csv": "identifier", "sql": "key", "ldap": "identifier"}

func connectionSchema(attrs []ConnectorAttribute) *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, a := range attrs {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: a.Name, Required: a.Required})
	}
	return s
}

// decodeConnection checks a connection block against its connector's schema.
// Values may be sensitive or not yet known; checks that need the value are
// made only on known, non-sensitive values.
func decodeConnection(d *decoder, connector string, b *hcl.Block) (*Connection, hcl.Diagnostics) {
	conn := &Connection{Attributes: map[string]cty.Value{}, Ranges: map[string]hcl.Range{}, DeclRange: b.DefRange}
	attrs := Connectors[connector]
	content, diags := bodyContent(b.Body, connectionSchema(attrs))
	for _, spec := range attrs {
		attr, ok := content.Attributes[spec.Name]
		if !ok {
			continue
		}
		v, vDiags := d.value(attr, spec.Type)
		diags = append(diags, vDiags...)
		if vDiags.HasErrors() {
			continue
		}
		if spec.Secret {
			v = v.Mark(Sensitive)
		}
		conn.Attributes[spec.Name] = v
		conn.Ranges[spec.Name] = attr.Expr.Range()
		diags = append(diags, checkConnectionValue(connector, spec, attr, v)...)
	}
	diags = append(diags, checkCreateTable(connector, conn, content.Attributes)...)
	return conn, diags
}

// checkCreateTable checks the settings create_table = true relies on: the
// connector creates the key and the columns listed in columns (the key may
// be left out of them), all as text, and nothing else. Values not yet
// known or sensitive are checked when the connector opens.
func checkCreateTable(connector string, conn *Connection, written hcl.Attributes) hcl.Diagnostics {
	ct, ok := conn.Attributes["create_table"]
	if connector != "sql" || !ok || ct.IsMarked() || !ct.IsKnown() || ct.IsNull() || ct.False() {
		return nil
	}
	var diags hcl.Diagnostics
	fail := func(rng hcl.Range, summary, detail string) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()})
	}
	cols, ok := conn.Attributes["columns"]
	_, isWritten := written["columns"]
	switch {
	case isWritten && !ok: // not a list of strings, reported already
	case !ok || cols.IsNull() || (cols.IsKnown() && !cols.IsMarked() && cols.LengthInt() == 0):
		fail(conn.Ranges["create_table"], "Missing columns for create_table",
			`create_table = true creates the table with the key column and the columns listed in columns, all as text; list them, such as columns = ["login", "full_name", "email"]. The key may be left out of columns: it is always created.`)
	case cols.IsWhollyKnown() && !cols.ContainsMarked():
		for _, c := range cols.AsValueSlice() {
			if !c.IsNull() && c.AsString() == "" {
				fail(conn.Ranges["columns"], "Empty column name", "create_table cannot create a column without a name; remove the empty string from columns.")
				break
			}
		}
	}
	if cc, ok := conn.Attributes["change_column"]; ok && !cc.IsNull() {
		fail(conn.Ranges["change_column"], "Change column with create_table",
			"create_table creates text columns that nothing moves forward, so it cannot create a change column for live sync. Create the table yourself, with a change column the application keeps current, and remove create_table; or remove change_column.")
	}
	return diags
}

// validNames reports whether a list of strings holds at least one name and
// no empty or null one.
func validNames(v cty.Value) bool {
	if v.LengthInt() == 0 {
		return false
	}
	for _, e := range v.AsValueSlice() {
		if e.IsNull() || e.AsString() == "" {
			return false
		}
	}
	return true
}

// checkConnectionValue makes the per-setting checks that need a value.
func checkConnectionValue(connector string, spec ConnectorAttribute, attr *hcl.Attribute, v cty.Value) hcl.Diagnostics {
	if v.IsMarked() || !v.IsWhollyKnown() || v.IsNull() {
		return nil
	}
	if connector == "ldap" && spec.Name == "insecure_skip_verify" && v.True() {
		rng := attr.Expr.Range()
		return hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "TLS certificate not verified",
			Detail:  "insecure_skip_verify = true accepts any certificate the server presents, so anyone between syncline and the directory can read and change what passes, the bind password included. Use it only for testing; set ca_file to the authority that signed the server's certificate instead.",
			Subject: &rng}}
	}
	if connector == "ldap" && spec.Name == "object_classes" && !validNames(v) {
		rng := attr.Expr.Range()
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid object classes",
			Detail: `object_classes lists the object classes of new entries, such as ["inetOrgPerson"]; it must name at least one, and no name may be empty.`, Subject: &rng}}
	}
	if spec.Type == cty.Number {
		var n int
		return (&decoder{}).integer(&hcl.Attribute{Name: attr.Name, Expr: hcl.StaticExpr(v, attr.Expr.Range()), Range: attr.Range}, 1, 100_000, &n)
	}
	if spec.Type != cty.String {
		return nil
	}
	s := v.AsString()
	rng := attr.Expr.Range()
	fail := func(summary, detail string) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &rng}}
	}
	switch {
	case spec.Enum != nil && !contains(spec.Enum, s):
		return hcl.Diagnostics{invalidChoice(spec.Name, s, spec.Enum, rng)}
	case s == "":
		return fail("Empty connection setting", fmt.Sprintf("The %s setting %q must not be empty.", connector, spec.Name))
	case connector == "csv" && (spec.Name == "delimiter" || spec.Name == "multivalue_delimiter") && utf8.RuneCountInString(s) != 1:
		return fail("Invalid delimiter", fmt.Sprintf("%s must be exactly one character, such as \",\" or \";\".", spec.Name))
	case connector == "ldap" && spec.Name == "url":
		if u, err := url.Parse(s); err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Host == "" {
			return fail("Invalid LDAP URL", fmt.Sprintf("%q is not an LDAP URL; write ldap://HOST:PORT or ldaps://HOST:PORT.", s))
		}
	case connector == "ldap" && spec.Name == "timeout":
		if d, err := ParseDuration(s); err != nil || d <= 0 {
			return fail("Invalid duration", fmt.Sprintf("timeout must be a positive duration such as \"30s\"; %q is not.", s))
		}
	}
	return nil
}
