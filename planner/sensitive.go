package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// sensitiveSalt prefixes a secret before hashing, so a fingerprint is not a
// plain SHA-256 that could be looked up in a table of common values.
const sensitiveSalt = "syncline-sensitive:"

// renderSensitive renders a secret as a fingerprint: the first 16 hex digits
// of sha256("syncline-sensitive:" + value). A changed secret changes the
// fingerprint, so plans see the change without seeing the value.
func renderSensitive(value string) string {
	sum := sha256.Sum256([]byte(sensitiveSalt + value))
	return SensitivePrefix + hex.EncodeToString(sum[:8]) + ")"
}

// IsSensitive reports whether a spec value is a sensitive fingerprint.
func IsSensitive(rendered string) bool {
	return strings.HasPrefix(rendered, SensitivePrefix)
}

// display is how a spec value appears in attribute changes and views:
// sensitive fingerprints become "(sensitive value)".
func display(rendered string) string {
	if IsSensitive(rendered) {
		return RedactedValue
	}
	return rendered
}
