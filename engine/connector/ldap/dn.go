package ldap

import (
	"fmt"
	"strings"
	"unicode/utf8"

	goldap "github.com/go-ldap/ldap/v3"
)

// EscapeDNValue escapes an attribute value for an RDN as RFC 4514 section
// 2.4 asks: '"', '+', ',', ';', '<', '>' and '\' get a backslash, so do a
// leading '#' or space and a trailing space; NUL, other control
// characters and bytes that are not UTF-8 become \XX hex pairs. Other
// characters, non-ASCII ones included, are written as they are (UTF-8).
func EscapeDNValue(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size == 1, r < 0x20, r == 0x7f:
			fmt.Fprintf(&b, "\\%02x", v[i])
		case strings.ContainsRune(`"+,;<>\`, r),
			i == 0 && (r == '#' || r == ' '),
			i+size == len(v) && r == ' ':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteString(v[i : i+size])
		}
		i += size
	}
	return b.String()
}

// newDN is the DN of a new entry whose naming attribute has value.
func (c *Connector) newDN(value string) string {
	return c.naming.name() + "=" + EscapeDNValue(value) + "," + c.cfg.Container
}

// rdnValue returns the value of attr in the first RDN of dn, or "" when
// the RDN does not name attr.
func (c *Connector) rdnValue(dn string, attr *attributeType) string {
	parsed, err := goldap.ParseDN(dn)
	if err != nil || len(parsed.RDNs) == 0 {
		return ""
	}
	for _, ava := range parsed.RDNs[0].Attributes {
		if c.schema.attr(ava.Type) == attr {
			return ava.Value
		}
	}
	return ""
}
