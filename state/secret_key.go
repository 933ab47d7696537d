package state

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// SecretKey is a state's secret key (migration 0006): it keys the
// fingerprints of sensitive values and the MAC of saved plan files. It
// formats as "(secret key)" with every verb of fmt and refuses to be
// marshalled, so it cannot reach an output, a log or a file by accident.
type SecretKey []byte

// secretKeyBytes is the length of a state's secret key.
const secretKeyBytes = 32

// String hides the key.
func (SecretKey) String() string { return "(secret key)" }

// GoString hides the key from %#v.
func (SecretKey) GoString() string { return "(secret key)" }

// Format hides the key from every fmt verb, %x and %v included.
func (k SecretKey) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }

// MarshalJSON refuses: a key is never written anywhere but the store.
func (SecretKey) MarshalJSON() ([]byte, error) {
	return nil, errors.New("a state's secret key is never serialized")
}

// MarshalText refuses for the same reason.
func (SecretKey) MarshalText() ([]byte, error) {
	return nil, errors.New("a state's secret key is never serialized")
}

// EphemeralKey returns a random key for one invocation that has no state:
// a plan against a store that does not exist yet, or syncline diff. The
// fingerprints it keys are comparable only within that invocation.
func EphemeralKey() SecretKey {
	k := make(SecretKey, secretKeyBytes)
	_, _ = rand.Read(k) // crypto/rand.Read never fails on supported platforms
	return k
}

// readSecretKey reads the key that migration 0006 stored.
func readSecretKey(ctx context.Context, q queryer) (SecretKey, error) {
	var text string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'secret_key'`).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errors.New("the store has no secret key (migration 0006 did not run)")
	}
	if err != nil {
		return nil, err
	}
	k, err := hex.DecodeString(text)
	if err != nil || len(k) != secretKeyBytes {
		return nil, errors.New("the store's secret key is damaged")
	}
	return SecretKey(k), nil
}
