package state

import (
	"encoding/json"
	"strconv"
	"time"
)

// marshalPending encodes ops as the pending column: exactly the bytes of
// json.Marshal (repository_pending_json_test.go checks it), written by
// hand as the attributes are (repository_json.go). Provisioning stores a
// queued create with every account, and encoding/json's reflection over
// the operation and the sorting of its attributes' keys was a twentieth
// of the pass's committing. A time json.Marshal refuses is left to it, so
// the error is its own.
func marshalPending(ops []PendingOperation) ([]byte, error) {
	b := make([]byte, 0, 128*len(ops))
	b = append(b, '[')
	for i := range ops {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = appendPendingOp(b, &ops[i]); !ok {
			return json.Marshal(ops)
		}
	}
	return append(b, ']'), nil
}

// appendPendingOp appends op as a JSON object, its fields in their order
// with their omitempty and omitzero; ok is false for a time that has no
// RFC 3339 spelling.
func appendPendingOp(b []byte, op *PendingOperation) (_ []byte, ok bool) {
	b = append(b, `{"Op":`...)
	b = appendJSONString(b, op.Op)
	if op.Identifier != "" {
		b = append(b, `,"Identifier":`...)
		b = appendJSONString(b, op.Identifier)
	}
	if op.Key != "" {
		b = append(b, `,"Key":`...)
		b = appendJSONString(b, op.Key)
	}
	if len(op.Attributes) > 0 {
		b = append(b, `,"Attributes":`...)
		b = appendShadowAttributes(b, op.Attributes)
	}
	b = append(b, `,"QueuedAt":`...)
	if b, ok = appendJSONTime(b, op.QueuedAt); !ok {
		return b, false
	}
	if op.Attempts != 0 {
		b = append(b, `,"Attempts":`...)
		b = strconv.AppendInt(b, int64(op.Attempts), 10)
	}
	if !op.NextAttemptAt.IsZero() {
		b = append(b, `,"NextAttemptAt":`...)
		if b, ok = appendJSONTime(b, op.NextAttemptAt); !ok {
			return b, false
		}
	}
	if op.LastError != "" {
		b = append(b, `,"LastError":`...)
		b = appendJSONString(b, op.LastError)
	}
	return append(b, '}'), true
}

// appendJSONTime appends t as time.Time's MarshalJSON writes it.
func appendJSONTime(b []byte, t time.Time) ([]byte, bool) {
	b = append(b, '"')
	b, err := t.AppendText(b)
	return append(b, '"'), err == nil
}
