package planner

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/syncline/syncline/state"
)

// legacySensitivePrefix started the unkeyed fingerprints that stores
// written before the state had a secret key hold; they still display as
// "(sensitive value)".
const legacySensitivePrefix = "(sensitive sha256:"

// renderSensitive renders a secret as a fingerprint: the first 16 hex digits
// of HMAC-SHA256(key, value), key being the state's secret key. A changed
// secret changes the fingerprint, so plans see the change without seeing
// the value; without the key, nobody can check a printed fingerprint
// against guesses.
func renderSensitive(key state.SecretKey, value string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(value))
	return SensitivePrefix + hex.EncodeToString(mac.Sum(nil)[:8]) + ")"
}

// IsSensitive reports whether a spec value is a sensitive fingerprint.
func IsSensitive(rendered string) bool {
	return strings.HasPrefix(rendered, SensitivePrefix) || strings.HasPrefix(rendered, legacySensitivePrefix)
}

// display is how a spec value appears in attribute changes and views:
// sensitive fingerprints become "(sensitive value)".
func display(rendered string) string {
	if IsSensitive(rendered) {
		return RedactedValue
	}
	return rendered
}
