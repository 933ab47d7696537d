package ldap

import (
	"strings"
)

// MatchKey returns the form of an identifier that the directory treats
// as the same: the identifier's equality rule decides. Under
// caseIgnoreMatch (uid, cn, mail's caseIgnoreIA5Match) "Alice" and
// "alice" are one key; under caseIgnoreMatch and caseExactMatch leading
// and trailing spaces do not count and runs of spaces count as one
// (RFC 4518's insignificant space handling); a UUID's hex digits ignore
// case. Any other rule matches exactly.
func (c *Connector) MatchKey(id string) string {
	rule := strings.ToLower(c.id.equality)
	switch {
	case strings.HasPrefix(rule, "caseignore"):
		return strings.ToLower(strings.Join(strings.Fields(id), " "))
	case strings.HasPrefix(rule, "caseexact"):
		return strings.Join(strings.Fields(id), " ")
	case rule == "uuidmatch":
		return strings.ToLower(id)
	}
	return id
}
