package state

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// Encoding the attributes of a user or a shadow (repository_json.go) is
// work a transaction need not do: a synchronization pass encodes them
// where it prepares objects, on several goroutines, and the one
// transaction that stores them only binds the text — the committer is
// what bounds an import.
//
// An encoding is used only while the User's or Shadow's Attributes are
// the very map it was made of, with as many entries; anything else is
// encoded again. A map must not be changed in place once encoded: code
// that changes attributes makes a new map, as the engine does. Under
// `go test` every encoding used is checked against a new one, and a
// difference panics.

// encodedAttributes is an attributes map and its encoding: a shadow's
// (ShadowAttributes) or a user's (UserAttributes).
type encodedAttributes[V any] struct {
	m    map[string]V
	text string
}

// ShadowAttributes is a shadow's attributes map and its encoding (see
// Shadow.Encoded).
type ShadowAttributes = encodedAttributes[[]string]

// UserAttributes is a user's attributes map and its encoding (see
// User.Encoded).
type UserAttributes = encodedAttributes[string]

// EncodeShadowAttributes encodes m as PutShadow would.
func EncodeShadowAttributes(m map[string][]string) ShadowAttributes {
	return encodeAttributes(m, appendShadowAttributes)
}

// EncodeUserAttributes encodes m as InsertUser and UpdateUser would.
func EncodeUserAttributes(m map[string]string) UserAttributes {
	return encodeAttributes(m, appendUserAttributes)
}

// encodeAttributes encodes m with appendTo, in a pooled buffer.
func encodeAttributes[V any](m map[string]V, appendTo func([]byte, map[string]V) []byte) encodedAttributes[V] {
	if m == nil {
		return encodedAttributes[V]{}
	}
	b := encodeBuffers.Get().(*[]byte)
	*b = appendTo((*b)[:0], m)
	e := encodedAttributes[V]{m: m, text: string(*b)}
	encodeBuffers.Put(b)
	return e
}

// encodeBuffers are the buffers encodings are made in, then copied from:
// growing a buffer for each was a ninth of what an import allocated.
var encodeBuffers = sync.Pool{New: func() any { return new([]byte) }}

// of returns the encoding when it is of m, which appendTo encodes.
func (e encodedAttributes[V]) of(m map[string]V, appendTo func([]byte, map[string]V) []byte) (string, bool) {
	if e.m == nil || len(e.m) != len(m) || reflect.ValueOf(e.m).UnsafePointer() != reflect.ValueOf(m).UnsafePointer() {
		return "", false
	}
	if testing.Testing() {
		if now := string(appendTo(nil, m)); now != e.text {
			panic(fmt.Sprintf("state: attributes changed in place after they were encoded: %s, encoded %s", now, e.text))
		}
	}
	return e.text, true
}
