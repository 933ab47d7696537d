package ldap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
)

// Defaults of the settings.
const (
	DefaultIdentifier      = "entryUUID"
	DefaultNamingAttribute = "uid"
	DefaultObjectClass     = "inetOrgPerson"
	DefaultTimeout         = 30 * time.Second
	// DefaultFeedOverlap is how far before its last change the change
	// feed looks again, for changes whose timestamps are late (the same
	// second, a replica's clock behind).
	DefaultFeedOverlap = 5 * time.Second
)

// Config is an ldap connection, decoded.
type Config struct {
	URL string // ldap://HOST:PORT or ldaps://HOST:PORT
	// BindDN and BindPassword are the simple bind; no BindDN binds
	// anonymously. BindPassword is a secret and never appears in
	// messages.
	BindDN, BindPassword string
	BaseDN               string
	// Filter is an LDAP filter every search adds, with or without
	// parentheses.
	Filter string
	// Identifier is the attribute that identifies an entry
	// (DefaultIdentifier).
	Identifier string
	// NamingAttribute is the RDN attribute of new entries
	// (DefaultNamingAttribute).
	NamingAttribute string
	// Container is the DN new entries are created under; "" means
	// BaseDN.
	Container string
	// ObjectClasses are the object classes of new entries; the first is
	// the class searched when a query names none. Default
	// [DefaultObjectClass].
	ObjectClasses []string
	// PageSize, when not 0, is the paged-search size of every search,
	// overriding the query's.
	PageSize int
	StartTLS bool
	// CAFile is a PEM file of the certificate authorities to trust for
	// TLS; "" means the system's.
	CAFile string
	// InsecureSkipVerify accepts any server certificate.
	InsecureSkipVerify bool
	Timeout            time.Duration // DefaultTimeout when 0
	FeedOverlap        time.Duration // DefaultFeedOverlap when 0
}

// Open opens the ldap connector of res.
func Open(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error) {
	cfg, err := ConfigFrom(connector.NewSettings(res))
	if err != nil {
		return nil, err
	}
	if cfg.CAFile != "" && !filepath.IsAbs(cfg.CAFile) {
		cfg.CAFile = filepath.Join(opts.BaseDir, cfg.CAFile)
	}
	return New(ctx, res.Name, cfg)
}

// ConfigFrom reads an ldap connection's settings.
func ConfigFrom(s connector.Settings) (Config, error) {
	var cfg Config
	var err error
	for _, f := range []struct {
		name     string
		dst      *string
		required bool
	}{
		{"url", &cfg.URL, true}, {"base_dn", &cfg.BaseDN, true}, {"bind_dn", &cfg.BindDN, false},
		{"bind_password", &cfg.BindPassword, false}, {"filter", &cfg.Filter, false},
		{"identifier", &cfg.Identifier, false}, {"naming_attribute", &cfg.NamingAttribute, false},
		{"container", &cfg.Container, false}, {"ca_file", &cfg.CAFile, false},
	} {
		if f.required {
			*f.dst, err = s.Required(f.name)
		} else {
			*f.dst, err = s.String(f.name)
		}
		if err != nil {
			return cfg, err
		}
	}
	if cfg.ObjectClasses, err = s.Strings("object_classes"); err != nil {
		return cfg, err
	}
	if cfg.PageSize, err = s.Int("page_size", 0, 1, connector.MaxPageSize); err != nil {
		return cfg, err
	}
	if cfg.StartTLS, err = s.Bool("start_tls", false); err != nil {
		return cfg, err
	}
	if cfg.InsecureSkipVerify, err = s.Bool("insecure_skip_verify", false); err != nil {
		return cfg, err
	}
	cfg.Timeout, err = s.Duration("timeout", 0)
	return cfg, err
}

// withDefaults fills in the settings left out.
func (cfg Config) withDefaults() Config {
	if cfg.Identifier == "" {
		cfg.Identifier = DefaultIdentifier
	}
	if cfg.NamingAttribute == "" {
		cfg.NamingAttribute = DefaultNamingAttribute
	}
	if cfg.Container == "" {
		cfg.Container = cfg.BaseDN
	}
	if len(cfg.ObjectClasses) == 0 {
		cfg.ObjectClasses = []string{DefaultObjectClass}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.FeedOverlap <= 0 {
		cfg.FeedOverlap = DefaultFeedOverlap
	}
	cfg.Filter = strings.TrimSpace(cfg.Filter)
	if cfg.Filter != "" && !strings.HasPrefix(cfg.Filter, "(") {
		cfg.Filter = "(" + cfg.Filter + ")"
	}
	return cfg
}

// check reports settings that are wrong on their own.
func (cfg Config) check() error {
	u, err := url.Parse(cfg.URL)
	switch {
	case err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Host == "":
		return fmt.Errorf("url %q is not an LDAP URL; write ldap://HOST:PORT or ldaps://HOST:PORT", cfg.URL)
	case u.User != nil:
		return fmt.Errorf("the url must not hold a user or password; use bind_dn and bind_password")
	case cfg.StartTLS && u.Scheme == "ldaps":
		return fmt.Errorf("start_tls upgrades an ldap:// connection; an ldaps:// url is encrypted already, so remove start_tls")
	case cfg.BindPassword != "" && cfg.BindDN == "":
		return fmt.Errorf("bind_password is set without bind_dn; set bind_dn, or remove bind_password to bind anonymously")
	}
	for _, dn := range []struct{ name, value string }{{"base_dn", cfg.BaseDN}, {"container", cfg.Container}, {"bind_dn", cfg.BindDN}} {
		if dn.value == "" {
			continue
		}
		if _, err := goldap.ParseDN(dn.value); err != nil {
			return fmt.Errorf("%s %q is not a distinguished name: %v", dn.name, dn.value, err)
		}
	}
	if base, err := goldap.ParseDN(cfg.BaseDN); err == nil && cfg.Container != "" {
		if cont, err := goldap.ParseDN(cfg.Container); err == nil && !base.EqualFold(cont) && !base.AncestorOfFold(cont) {
			return fmt.Errorf("container %q is not inside base_dn %q, so entries created there would not be found again", cfg.Container, cfg.BaseDN)
		}
	}
	if cfg.Filter != "" {
		if _, err := goldap.CompileFilter(cfg.Filter); err != nil {
			return fmt.Errorf("filter %q is not an LDAP filter: %v", cfg.Filter, err)
		}
	}
	for _, oc := range cfg.ObjectClasses {
		if oc == "" {
			return fmt.Errorf("object_classes holds an empty name")
		}
	}
	return nil
}

// tlsConfig returns the TLS settings for the url's host, or nil when the
// connection is not encrypted.
func (cfg Config) tlsConfig() (*tls.Config, error) {
	u, _ := url.Parse(cfg.URL)
	if u.Scheme != "ldaps" && !cfg.StartTLS {
		return nil, nil
	}
	tc := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify}
	if cfg.CAFile == "" {
		return tc, nil
	}
	pem, err := os.ReadFile(cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ca_file %s holds no PEM certificate", cfg.CAFile)
	}
	tc.RootCAs = pool
	return tc, nil
}

// encrypted reports whether the connection uses TLS.
func (cfg Config) encrypted() bool {
	return cfg.StartTLS || strings.HasPrefix(cfg.URL, "ldaps://")
}
