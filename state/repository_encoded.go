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

// ShadowAttributes is a shadow's attributes map and its encoding (see
// Shadow.Encoded).
type ShadowAttributes struct {
	m    map[string][]string
	text string
}

// EncodeShadowAttributes encodes m as PutShadow would.
func EncodeShadowAttributes(m map[string][]string) ShadowAttributes {
	if m == nil {
		return ShadowAttributes{}
	}
	b := encodeBuffers.Get().(*[]byte)
	*b = appendShadowAttributes((*b)[:0], m)
	e := ShadowAttributes{m: m, text: string(*b)}
	encodeBuffers.Put(b)
	return e
}

// encodeBuffers are the buffers encodings are made in, then copied from:
// growing a buffer for each was a ninth of what an import allocated.
var encodeBuffers = sync.Pool{New: func() any { return new([]byte) }}

// of returns the encoding when it is of m.
func (e ShadowAttributes) of(m map[string][]string) (string, bool) {
	if e.m == nil || len(e.m) != len(m) || reflect.ValueOf(e.m).UnsafePointer() != reflect.ValueOf(m).UnsafePointer() {
		return "", false
	}
	if testing.Testing() {
		if now := string(appendShadowAttributes(nil, m)); now != e.text {
			panic(fmt.Sprintf("state: shadow attributes changed in place after they were encoded: %s, encoded %s", now, e.text))
		}
	}
	return e.text, true
}

// UserAttributes is a user's attributes map and its encoding (see
// User.Encoded).
type UserAttributes struct {
	m    map[string]string
	text string
}

// EncodeUserAttributes encodes m as InsertUser and UpdateUser would.
func EncodeUserAttributes(m map[string]string) UserAttributes {
	if m == nil {
		return UserAttributes{}
	}
	b := encodeBuffers.Get().(*[]byte)
	*b = appendUserAttributes((*b)[:0], m)
	e := UserAttributes{m: m, text: string(*b)}
	encodeBuffers.Put(b)
	return e
}

// of returns the encoding when it is of m.
func (e UserAttributes) of(m map[string]string) (string, bool) {
	if e.m == nil || len(e.m) != len(m) || reflect.ValueOf(e.m).UnsafePointer() != reflect.ValueOf(m).UnsafePointer() {
		return "", false
	}
	if testing.Testing() {
		if now := string(appendUserAttributes(nil, m)); now != e.text {
			panic(fmt.Sprintf("state: user attributes changed in place after they were encoded: %s, encoded %s", now, e.text))
		}
	}
	return e.text, true
}
