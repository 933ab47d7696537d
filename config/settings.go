package config

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var settingsSchema = &hcl.BodySchema{
	Attributes: attrs("state"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "sync"}},
}

var syncSchema = &hcl.BodySchema{
	Attributes: attrs("repository", "branch", "path", "policy", "poll_interval", "webhook_secret"),
}

// Sync defaults.
const (
	DefaultSyncBranch = "main"
	DefaultSyncPolicy = SyncPlanOnly
)

func (c *Config) decodeSettings(d *decoder, blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i, b := range blocks {
		if i > 0 {
			diags = append(diags, duplicate("Duplicate syncline block", "The syncline block", blocks[0].DefRange, b.DefRange))
			continue
		}
		c.Settings.DeclRange = b.DefRange
		content, cDiags := b.Body.Content(settingsSchema)
		diags = append(diags, cDiags...)
		if at, ok := content.Attributes["state"]; ok {
			diags = append(diags, d.str(at, &c.Settings.State)...)
			diags = append(diags, checkStateLocation(c.Settings.State, at)...)
		}
		for j, sb := range content.Blocks {
			if j > 0 {
				diags = append(diags, duplicate("Duplicate sync block", "The sync block", content.Blocks[0].DefRange, sb.DefRange))
				continue
			}
			s, sDiags := decodeSync(d, sb)
			diags = append(diags, sDiags...)
			c.Settings.Sync = s
		}
	}
	return diags
}

// checkStateLocation accepts a path, a sqlite:// URL or a postgres:// URL.
func checkStateLocation(loc string, at *hcl.Attribute) hcl.Diagnostics {
	scheme, _, hasScheme := strings.Cut(loc, "://")
	if u, err := url.Parse(loc); err == nil && hasScheme && u.User != nil {
		if _, hasPassword := u.User.Password(); hasPassword {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Password in state URL",
				Detail:   "The state URL carries a password, which would be stored and shown in plain text. Leave it out and set PGPASSWORD or use a .pgpass file.",
				Subject:  at.Expr.Range().Ptr(),
			}}
		}
	}
	if loc != "" && (!hasScheme || scheme == "sqlite" || scheme == "postgres" || scheme == "postgresql") {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid state location",
		Detail:   fmt.Sprintf("state must be a file path, a sqlite:// URL or a postgres:// URL; %q is none of these.", loc),
		Subject:  at.Expr.Range().Ptr(),
	}}
}

func decodeSync(d *decoder, b *hcl.Block) (*SyncSettings, hcl.Diagnostics) {
	s := &SyncSettings{Branch: DefaultSyncBranch, Policy: DefaultSyncPolicy, Path: ".", DeclRange: b.DefRange}
	content, diags := b.Body.Content(syncSchema)
	at := content.Attributes
	if a, ok := at["repository"]; ok {
		diags = append(diags, d.str(a, &s.Repository)...)
		if u, err := url.Parse(s.Repository); err == nil && u.User != nil {
			if _, hasPassword := u.User.Password(); hasPassword {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Password in repository URL",
					Detail:   "The repository URL carries a password, which would be shown in plans. Use an SSH key or a credential helper instead.",
					Subject:  a.Expr.Range().Ptr(),
				})
			}
		}
	}
	if a, ok := at["branch"]; ok {
		diags = append(diags, d.str(a, &s.Branch)...)
	}
	if a, ok := at["path"]; ok {
		diags = append(diags, d.str(a, &s.Path)...)
	}
	if a, ok := at["policy"]; ok {
		diags = append(diags, d.enum(a, []string{SyncAutoApply, SyncPlanOnly}, &s.Policy)...)
	}
	if a, ok := at["poll_interval"]; ok {
		diags = append(diags, d.duration(a, &s.PollInterval)...)
	}
	if a, ok := at["webhook_secret"]; ok {
		v, vDiags := d.value(a, cty.String)
		diags = append(diags, vDiags...)
		if !vDiags.HasErrors() {
			s.WebhookSecret = v.Mark(Sensitive)
		}
	}
	return s, diags
}
