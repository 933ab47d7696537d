package config

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var consoleSchema = &hcl.BodySchema{
	Attributes: attrs("session_ttl"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "token", LabelNames: []string{"name"}}},
}

var consoleTokenSchema = &hcl.BodySchema{Attributes: required("role", "secret")}

// Console roles: a viewer reads; an operator also triggers, cancels,
// suspends and resumes.
const (
	ConsoleViewer   = "viewer"
	ConsoleOperator = "operator"
)

// ConsoleRoles are the roles a console token may have.
var ConsoleRoles = []string{ConsoleViewer, ConsoleOperator}

// DefaultConsoleSessionTTL is how long a console login lasts when the
// console block sets no session_ttl.
const DefaultConsoleSessionTTL = 12 * time.Hour

// ConsoleSettings is the syncline.console block: who may use the console
// and the HTTP API of syncline serve -listen.
type ConsoleSettings struct {
	// SessionTTL is how long a console login lasts.
	SessionTTL time.Duration
	Tokens     []*ConsoleToken
	DeclRange  hcl.Range
}

// ConsoleToken is one API token: a name (recorded as who triggered a
// run), a role, and the secret presented as a bearer token or at login,
// a string always marked sensitive.
type ConsoleToken struct {
	Name      string
	Role      string
	Secret    cty.Value
	DeclRange hcl.Range
}

func decodeConsole(d *decoder, b *hcl.Block) (*ConsoleSettings, hcl.Diagnostics) {
	s := &ConsoleSettings{SessionTTL: DefaultConsoleSessionTTL, DeclRange: b.DefRange}
	content, diags := b.Body.Content(consoleSchema)
	if a, ok := content.Attributes["session_ttl"]; ok {
		diags = append(diags, d.duration(a, &s.SessionTTL)...)
	}
	seen := map[string]*hcl.Block{}
	for _, tb := range content.Blocks {
		name := tb.Labels[0]
		if prev := seen[name]; prev != nil {
			diags = append(diags, duplicate("Duplicate token block", fmt.Sprintf("The token %q", name), prev.DefRange, tb.DefRange))
			continue
		}
		seen[name] = tb
		t, tDiags := decodeConsoleToken(d, tb)
		diags = append(diags, tDiags...)
		s.Tokens = append(s.Tokens, t)
	}
	return s, diags
}

func decodeConsoleToken(d *decoder, b *hcl.Block) (*ConsoleToken, hcl.Diagnostics) {
	t := &ConsoleToken{Name: b.Labels[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(consoleTokenSchema)
	if t.Name == "" {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid token name",
			Detail:   "A token needs a name: it is recorded as who triggered the runs started with it.",
			Subject:  b.LabelRanges[0].Ptr(),
		})
	}
	if a, ok := content.Attributes["role"]; ok {
		diags = append(diags, d.enum(a, ConsoleRoles, &t.Role)...)
	}
	t.Secret, diags = d.secret(content.Attributes["secret"], diags)
	return t, diags
}
