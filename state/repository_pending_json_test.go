package state

import (
	"encoding/json"
	"testing"
	"time"
)

// pendingSamples are queues whose encoding differs somewhere: every
// field set and unset, times of every zone and precision, and the
// strings of jsonSamples.
func pendingSamples() [][]PendingOperation {
	at := time.Date(2026, 12, 6, 3, 4, 5, 123456789, time.UTC)
	prague := time.FixedZone("CET", 3600)
	samples := [][]PendingOperation{
		{{Op: OpCreate, QueuedAt: at}},
		{{Op: OpCreate, Attributes: map[string][]string{"uid": {"ann"}, "mail": nil, "phone": {}}, QueuedAt: at}},
		{{Op: OpUpdate, Attributes: map[string][]string{}, QueuedAt: at.Truncate(time.Second).In(prague)}},
		{{Op: OpRename, Identifier: "anna", Key: "anna", QueuedAt: at, Attempts: 3,
			NextAttemptAt: at.Add(time.Minute).In(time.FixedZone("", -(9*3600 + 30*60))), LastError: "refused"}},
		{{Op: OpDelete, QueuedAt: time.Time{}, Attempts: -1}},
		{{Op: OpCreate, QueuedAt: at}, {Op: OpUpdate, Attributes: map[string][]string{"a": {"b"}}, QueuedAt: at.Add(time.Nanosecond)},
			{Op: OpDelete, QueuedAt: at.Add(time.Millisecond), NextAttemptAt: at.Add(time.Hour)}},
	}
	for i, s := range jsonSamples {
		other := jsonSamples[(i+1)%len(jsonSamples)]
		samples = append(samples, []PendingOperation{{Op: s, Identifier: s, Key: other,
			Attributes: map[string][]string{s: {s, other}, other: {s}}, QueuedAt: at, LastError: s + other}})
	}
	return samples
}

func TestPendingEncodesAsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, ops := range pendingSamples() {
		checkSamePending(t, ops)
	}
}

// A time json.Marshal refuses is refused alike.
func TestPendingRefusesWhatEncodingJSONRefuses(t *testing.T) {
	t.Parallel()
	for _, at := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 25*3600)),
	} {
		for _, ops := range [][]PendingOperation{{{Op: OpCreate, QueuedAt: at}}, {{Op: OpCreate, NextAttemptAt: at}}} {
			_, want := json.Marshal(ops)
			got, err := marshalPending(ops)
			if want == nil || err == nil || err.Error() != want.Error() {
				t.Errorf("%v: got %s, %v; want json.Marshal's error %v", at, got, err, want)
			}
		}
	}
}

func FuzzPendingEncodesAsEncodingJSON(f *testing.F) {
	for i, s := range jsonSamples {
		f.Add(s, jsonSamples[(i+3)%len(jsonSamples)], int64(i)*1e15, i)
	}
	f.Fuzz(func(t *testing.T, s, v string, nanos int64, attempts int) {
		at := time.Unix(0, nanos).UTC()
		checkSamePending(t, []PendingOperation{
			{Op: s, Identifier: v, Attributes: map[string][]string{s: {v}, v: nil}, QueuedAt: at, Attempts: attempts},
			{Op: v, Key: s, QueuedAt: at, NextAttemptAt: at.Add(time.Duration(attempts)), LastError: v},
		})
	})
}

// checkSamePending fails unless marshalPending writes what json.Marshal
// writes of ops.
func checkSamePending(t *testing.T, ops []PendingOperation) {
	t.Helper()
	want, err := json.Marshal(ops)
	if err != nil {
		t.Fatal(err)
	}
	got, err := marshalPending(ops)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("pending %+v:\ngot  %s\nwant %s", ops, got, want)
	}
}
