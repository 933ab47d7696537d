package state

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestHistoryNewestFirst(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i, hash := range []string{"1", "2", "3"} {
		req := b.request(t)
		req.Who = "user" + hash
		req.Upserts = []*Definition{def("task", "a", hash)}
		if i == 1 {
			req.Changes = json.RawMessage(`{"update":["task.a"]}`)
		}
		b.apply(t, req)
		b.clock.Advance(time.Minute)
	}

	all, err := b.store.ApplyHistory(b.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("History(0) has %d records; want 3", len(all))
	}
	for i, r := range all {
		wantSerial := int64(3 - i)
		if r.Serial != wantSerial || r.Who != "user"+string(rune('0'+wantSerial)) || r.Revision != "abc123" {
			t.Errorf("record %d = %+v; want serial %d", i, r, wantSerial)
		}
	}
	if string(all[1].Changes) != `{"update":["task.a"]}` || all[0].Changes != nil {
		t.Errorf("changes = %s, %s", all[1].Changes, all[0].Changes)
	}
	if want := newFakeClock().Now().Add(2 * time.Minute); !all[0].At.Equal(want) {
		t.Errorf("newest at %v; want %v", all[0].At, want)
	}

	two, err := b.store.ApplyHistory(b.ctx, 2)
	if err != nil || len(two) != 2 || two[0].ID != all[0].ID {
		t.Fatalf("History(2) = %+v, %v", two, err)
	}
}

func TestHistoryIsAppendOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply(t, ApplyRequest{Upserts: []*Definition{def("task", "a", "1")}})
	before := b.dump(t)
	for _, stmt := range []string{
		`UPDATE applies SET who = 'mallory'`,
		`DELETE FROM applies`,
	} {
		_, err := b.store.db.Exec(stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v; want the append-only trigger to refuse", stmt, err)
		}
	}
	if b.dump(t) != before {
		t.Error("history changed")
	}
}

// TestAppliedAtAndForcedOver: the apply that produced a serial is found by
// it, with the revision a force-push replaced; other serials have none.
func TestAppliedAtAndForcedOver(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first := b.request(t)
	first.Upserts = []*Definition{def("task", "a", "1")}
	b.apply(t, first)
	second := b.request(t)
	second.Upserts = []*Definition{def("task", "a", "2")}
	second.Revision, second.ForcedOver = "def456", "abc123"
	b.apply(t, second)

	for _, c := range []struct {
		serial              int64
		wantRev, wantForced string
		wantNone            bool
	}{
		{serial: 1, wantRev: "abc123"},
		{serial: 2, wantRev: "def456", wantForced: "abc123"},
		{serial: 0, wantNone: true},
		{serial: 3, wantNone: true},
	} {
		rec, err := b.store.ApplyAt(b.ctx, c.serial)
		if err != nil {
			t.Fatalf("AppliedAt(%d): %v", c.serial, err)
		}
		if c.wantNone {
			if rec != nil {
				t.Errorf("AppliedAt(%d) = %+v; want none", c.serial, rec)
			}
			continue
		}
		if rec == nil || rec.Serial != c.serial || rec.Revision != c.wantRev || rec.ForcedOver != c.wantForced {
			t.Errorf("AppliedAt(%d) = %+v; want revision %s over %q", c.serial, rec, c.wantRev, c.wantForced)
		}
	}
	all, err := b.store.ApplyHistory(b.ctx, 0)
	if err != nil || len(all) != 2 || all[0].ForcedOver != "abc123" || all[1].ForcedOver != "" {
		t.Fatalf("History = %+v, %v", all, err)
	}
}
