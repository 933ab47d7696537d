package config

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var settingsSchema = &hcl.BodySchema{
	Attributes: attrs("state", "public_url"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "sync"}, {Type: "smtp"}, {Type: "console"}},
}

var syncSchema = &hcl.BodySchema{
	Attributes: attrs("repository", "branch", "path", "policy", "poll_interval", "webhook_secret",
		"username", "password", "token", "ssh_key_file", "known_hosts_file", "insecure_ignore_host_key", "ca_file"),
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
		if at, ok := content.Attributes["public_url"]; ok {
			diags = append(diags, d.str(at, &c.Settings.PublicURL)...)
			if u, err := url.Parse(c.Settings.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid public URL",
					Detail:   "public_url must be an http:// or https:// URL without credentials, such as \"https://syncline.example.com\".",
					Subject:  at.Expr.Range().Ptr(),
				})
			}
		}
		seen := map[string]*hcl.Block{}
		for _, sb := range content.Blocks {
			if prev := seen[sb.Type]; prev != nil {
				diags = append(diags, duplicate("Duplicate "+sb.Type+" block", "The "+sb.Type+" block", prev.DefRange, sb.DefRange))
				continue
			}
			seen[sb.Type] = sb
			switch sb.Type {
			case "sync":
				s, sDiags := decodeSync(d, sb)
				diags = append(diags, sDiags...)
				c.Settings.Sync = s
			case "smtp":
				s, sDiags := decodeSMTP(d, sb)
				diags = append(diags, sDiags...)
				c.Settings.SMTP = s
			case "console":
				s, sDiags := decodeConsole(d, sb)
				diags = append(diags, sDiags...)
				c.Settings.Console = s
			}
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
	s.WebhookSecret, diags = d.secret(at["webhook_secret"], diags)
	diags = append(diags, decodeSyncCredentials(d, s, at)...)
	return s, diags
}

// secret decodes an optional string that is always marked sensitive;
// cty.NilVal when a is nil or invalid.
func (d *decoder) secret(a *hcl.Attribute, diags hcl.Diagnostics) (cty.Value, hcl.Diagnostics) {
	if a == nil {
		return cty.NilVal, diags
	}
	v, vDiags := d.value(a, cty.String)
	diags = append(diags, vDiags...)
	if vDiags.HasErrors() {
		return cty.NilVal, diags
	}
	return v.Mark(Sensitive), diags
}

// decodeSyncCredentials reads how the repository is fetched: a user name
// with a password, or a token, over http(s); a private key checked against
// known hosts over ssh; extra CA certificates for https.
func decodeSyncCredentials(d *decoder, s *SyncSettings, at hcl.Attributes) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, f := range []struct {
		name string
		dst  *string
	}{{"username", &s.Username}, {"ssh_key_file", &s.SSHKeyFile}, {"known_hosts_file", &s.KnownHostsFile}, {"ca_file", &s.CAFile}} {
		if a, ok := at[f.name]; ok {
			diags = append(diags, d.str(a, f.dst)...)
		}
	}
	if a, ok := at["insecure_ignore_host_key"]; ok {
		diags = append(diags, d.boolean(a, &s.InsecureIgnoreHostKey)...)
	}
	s.Password, diags = d.secret(at["password"], diags)
	s.Token, diags = d.secret(at["token"], diags)
	if at["password"] != nil && at["token"] != nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting credentials",
			Detail:   "Give either password (with username, sent as HTTP basic authentication) or token (sent as a bearer token), not both. For a GitHub or GitLab access token, set username and put the token in password.",
			Subject:  at["token"].Range.Ptr(),
		})
	}
	if a := at["password"]; a != nil && at["username"] == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing username",
			Detail:   "A password is sent with a user name: set username as well (for an access token, any name the provider accepts, such as \"x-access-token\" for GitHub or \"oauth2\" for GitLab).",
			Subject:  a.Range.Ptr(),
		})
	}
	if a := at["insecure_ignore_host_key"]; a != nil && at["known_hosts_file"] != nil && s.InsecureIgnoreHostKey {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting host key settings",
			Detail:   "insecure_ignore_host_key = true accepts any host key, so known_hosts_file would be ignored; remove one of them.",
			Subject:  a.Range.Ptr(),
		})
	}
	return diags
}
