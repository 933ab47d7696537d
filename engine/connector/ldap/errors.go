package ldap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/agext/levenshtein"
	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// unreachableHint is what to do about a server that cannot be reached.
const unreachableHint = "Check that the directory server is running and that url names its host and port. Pending changes are kept and retried."

// resultKinds sorts LDAP result codes (RFC 4511 appendix A) into the
// connector error kinds, each with a hint.
var resultKinds = map[uint16]struct {
	kind error
	hint string
}{
	goldap.LDAPResultNoSuchObject:       {connector.ErrNotFound, ""},
	goldap.LDAPResultEntryAlreadyExists: {connector.ErrAlreadyExists, "Another entry has this DN: its naming attribute's value is taken in the container."},
	goldap.LDAPResultObjectClassViolation: {connector.ErrInvalidObject,
		"The entry lacks an attribute its object classes require, or has one they do not allow: map the required attributes (inetOrgPerson needs cn and sn), or change object_classes."},
	goldap.LDAPResultConstraintViolation: {connector.ErrInvalidObject,
		"A value breaks a rule of the directory (a single-valued attribute given two values, a value too long, a password policy): fix the mapping."},
	goldap.LDAPResultInvalidAttributeSyntax: {connector.ErrInvalidObject,
		"A value does not have the form the attribute's syntax requires (a telephone number, a DN, a number): fix the mapping."},
	goldap.LDAPResultUndefinedAttributeType: {connector.ErrInvalidObject, "Write only attributes the directory's schema defines."},
	goldap.LDAPResultAttributeOrValueExists: {connector.ErrInvalidObject,
		"The attribute holds this value already, compared as the directory compares it (often without case)."},
	goldap.LDAPResultNoSuchAttribute:       {connector.ErrInvalidObject, "The entry has no such attribute or value."},
	goldap.LDAPResultInappropriateMatching: {connector.ErrInvalidObject, ""},
	goldap.LDAPResultNamingViolation:       {connector.ErrInvalidObject, "The DN does not fit the directory's structure rules: check naming_attribute and container."},
	goldap.LDAPResultNotAllowedOnRDN: {connector.ErrInvalidObject,
		"The change would remove the value that names the entry in its DN; syncline does not rename entries yet."},
	goldap.LDAPResultNotAllowedOnNonLeaf: {connector.ErrInvalidObject,
		"The entry has entries below it; syncline does not delete subtrees. Remove them first."},
	goldap.LDAPResultObjectClassModsProhibited: {connector.ErrInvalidObject, ""},
	goldap.LDAPResultInvalidDNSyntax:           {connector.ErrInvalidObject, ""},
	goldap.LDAPResultSizeLimitExceeded: {connector.ErrRejected,
		"The server limits how many entries one search returns to bind_dn: raise the limit for it (OpenLDAP: olcLimits size.prtotal), or lower page_size."},
	goldap.LDAPResultTimeLimitExceeded: {connector.ErrRejected,
		"The server limits how long one search may take: raise the limit for bind_dn (OpenLDAP: olcLimits time), or narrow filter."},
	goldap.LDAPResultAdminLimitExceeded: {connector.ErrRejected, "The server refused the search as too large: narrow filter or base_dn, or lower page_size."},
	goldap.LDAPResultInsufficientAccessRights: {connector.ErrRejected,
		"bind_dn lacks the right to do this: grant it in the directory's access rules (OpenLDAP: olcAccess)."},
	goldap.LDAPResultStrongAuthRequired: {connector.ErrRejected,
		"The server requires a stronger authentication for this: bind as a user (set bind_dn and bind_password), over an encrypted connection if it asks for one (ldaps:// or start_tls = true)."},
	goldap.LDAPResultConfidentialityRequired: {connector.ErrRejected,
		"The server requires an encrypted connection: use an ldaps:// url or start_tls = true."},
	goldap.LDAPResultUnwillingToPerform: {connector.ErrRejected, ""},
	goldap.LDAPResultBusy:               {connector.ErrUnreachable, unreachableHint},
	goldap.LDAPResultUnavailable:        {connector.ErrUnreachable, unreachableHint},
	goldap.LDAPResultServerDown:         {connector.ErrUnreachable, unreachableHint},
	goldap.LDAPResultTimeout:            {connector.ErrUnreachable, unreachableHint},
	goldap.LDAPResultConnectError:       {connector.ErrUnreachable, unreachableHint},
	goldap.ErrorNetwork:                 {connector.ErrUnreachable, unreachableHint},
}

// fail turns an error of an operation into a *connector.Error: the
// server's result code sorted into a kind, with the server's message and
// a hint. A context error is returned as it is.
func (c *Connector) fail(op, id string, err error) error {
	var ce *connector.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return err
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	}
	var le *goldap.Error
	if !errors.As(err, &le) {
		return c.errs.Object(connector.ErrRejected, op, id, c.clean(err), "")
	}
	k, ok := resultKinds[le.ResultCode]
	if !ok {
		k.kind = connector.ErrRejected
	}
	return c.errs.Object(k.kind, op, id, c.describe(le), k.hint)
}

// describe says what the server said: the result's name and code, and
// the server's own message when it gave one.
func (c *Connector) describe(le *goldap.Error) error {
	name := strings.ToLower(goldap.LDAPResultCodeMap[le.ResultCode])
	if name == "" {
		name = "result"
	}
	msg := ""
	if le.Err != nil {
		msg = strings.TrimSpace(le.Err.Error())
	}
	if le.ResultCode >= goldap.ErrorNetwork {
		if reason := networkReason(le.Err); reason != "" {
			return errors.New(reason)
		}
		return c.clean(fmt.Errorf("%s", strings.TrimPrefix(msg, "ldap: ")))
	}
	if msg == "" {
		return fmt.Errorf("%s (LDAP result %d)", name, le.ResultCode)
	}
	return c.clean(fmt.Errorf("%s (LDAP result %d): the server said %q", name, le.ResultCode, msg))
}

// clean keeps the bind password out of a message, in case a server or a
// library ever echoes it.
func (c *Connector) clean(err error) error {
	if p := c.cfg.BindPassword; len(p) >= 4 && strings.Contains(err.Error(), p) {
		return errors.New(strings.ReplaceAll(err.Error(), p, "(sensitive)"))
	}
	return err
}

// isNetworkError reports whether err means the connection is gone.
func isNetworkError(err error) bool {
	var le *goldap.Error
	if errors.As(err, &le) {
		switch le.ResultCode {
		case goldap.ErrorNetwork, goldap.LDAPResultServerDown, goldap.LDAPResultConnectError:
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}

// connectFailure describes a failed dial or TLS handshake.
func (c *Connector) connectFailure(op string, err error) error {
	reason, hint := c.tlsReason(err)
	switch {
	case reason != "":
	case goldap.IsErrorWithCode(err, goldap.LDAPResultProtocolError) && c.cfg.StartTLS:
		reason, hint = "the server refused StartTLS", "Configure TLS on the server, or use an ldaps:// url."
	case networkReason(err) != "":
		reason, hint = "could not connect: "+networkReason(err), unreachableHint
	default:
		reason, hint = "could not connect: "+c.clean(err).Error(), unreachableHint
	}
	return c.errs.New(connector.ErrUnreachable, op, fmt.Errorf("%s (%s)", reason, c.cfg.URL), hint)
}

// tlsReason sorts a TLS failure into a reason and a hint, or "" when err
// is none. go-ldap's StartTLS keeps only the text of the handshake's
// error, so that is read too.
func (c *Connector) tlsReason(err error) (string, string) {
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	var re tls.RecordHeaderError
	text := err.Error()
	has := func(s string) bool { return strings.Contains(text, s) }
	switch {
	case errors.As(err, &ue) || has("certificate signed by unknown authority"):
		return "TLS failed: the server's certificate is signed by an authority syncline does not trust",
			"Set ca_file to the PEM certificate of the authority that signed the server's certificate."
	case errors.As(err, &he) || has("certificate is valid for") || has("certificate is not valid for any names"):
		return "TLS failed: the server's certificate is not for this host",
			"Write the host name the certificate names in url, or have the certificate reissued for this host."
	case errors.As(err, &ce) || has("certificate has expired or is not yet valid"):
		return "TLS failed: the server's certificate is not valid", "Check the certificate's dates and uses, and the clock of this machine."
	case errors.As(err, &re) || has("first record does not look like a TLS handshake"),
		strings.HasPrefix(c.cfg.URL, "ldaps://") && networkReason(err) == "the server closed the connection":
		return "TLS failed: the server does not speak TLS on this port",
			"Use ldap:// (with start_tls = true) for a plain port such as 389, ldaps:// for 636."
	case has("TLS handshake failed") || has("tls: "):
		return "TLS failed: " + c.clean(err).Error(), "Check ca_file, the url's host name and the server's TLS configuration."
	}
	return "", ""
}

// networkReason sorts an error from dialing the server into a reason, or
// "" when it is none of these.
func networkReason(err error) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timed out (check the host, the port and timeout)"
	case errors.As(err, &dns):
		return "the host name could not be resolved"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (no server listens at the host and port)"
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return "the host is unreachable"
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, io.EOF):
		return "the server closed the connection"
	}
	return ""
}

// bindFailure describes a failed bind, never showing the password.
func (c *Connector) bindFailure(op string, err error) error {
	switch {
	case goldap.IsErrorWithCode(err, goldap.LDAPResultInvalidCredentials):
		return c.errs.New(connector.ErrUnreachable, op,
			fmt.Errorf("the server refused the bind as %q: invalid credentials (wrong bind_dn or bind_password); the password is not shown", c.cfg.BindDN),
			"Check bind_dn and bind_password. Pending changes are kept and retried.")
	case isNetworkError(err):
		return c.connectFailure(op, err)
	case !isLDAPError(err):
		return c.errs.New(connector.ErrConfig, op, err, "Set bind_password, or remove bind_dn to bind anonymously.")
	}
	e := c.fail(op, "", err).(*connector.Error)
	e.Err = fmt.Errorf("bind as %q: %w", c.cfg.BindDN, e.Err)
	return e
}

func isLDAPError(err error) bool {
	var le *goldap.Error
	return errors.As(err, &le)
}

// suggestAttr returns a hint naming the schema's attribute closest to
// name, or def.
func (c *Connector) suggestAttr(name, def string) string {
	var names []string
	for n := range c.schema.attrs {
		names = append(names, c.schema.attrs[n].name())
	}
	return suggestion(name, names, def)
}

// suggestClass returns a hint naming the schema's object class closest to
// name, or def.
func (c *Connector) suggestClass(name, def string) string {
	var names []string
	for _, oc := range c.schema.classes {
		if len(oc.names) > 0 {
			names = append(names, oc.names[0])
		}
	}
	return suggestion(name, names, def)
}

func suggestion(name string, candidates []string, def string) string {
	best, dist := "", 4
	for _, cand := range candidates {
		if d := levenshtein.Distance(strings.ToLower(name), strings.ToLower(cand), nil); d < dist || (d == dist && cand < best) {
			best, dist = cand, d
		}
	}
	if best != "" {
		return fmt.Sprintf("Did you mean %q?", best)
	}
	return def
}
