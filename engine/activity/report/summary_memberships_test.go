package report

import (
	"testing"
	"time"

	"github.com/syncline/syncline/state"
)

func TestSummaryCountsMemberships(t *testing.T) {
	t.Parallel()
	s := &summary{from: time.Unix(0, 0), to: time.Unix(60, 0), users: map[string]int{},
		accounts: map[string]map[string]int{"dir": {}}, memberships: map[string]map[string]int{}, errorIndex: map[string]int{}}
	run := &state.Run{Task: "hr-import"}
	for _, c := range []state.RunChange{
		{Object: "membership", Op: "add", Resource: "dir", Identifier: "engineering"},
		{Object: "membership", Op: "add", Resource: "dir", Identifier: "sales"},
		{Object: "membership", Op: "remove", Resource: "dir", Identifier: "sales"},
		{Object: "membership", Op: "tolerate", Resource: "dir", Identifier: "admins"},
		{Object: "membership", Op: "add", Resource: "dir", Identifier: "sales", Error: "refused"},
	} {
		s.addChange(run, c)
	}
	var got []string
	for _, row := range s.table(nil).rows {
		if row["section"] == sectionMemberships || row["section"] == sectionErrors {
			got = append(got, row["section"]+" "+row["resource"]+" "+row["item"]+" "+row["count"])
		}
	}
	want := []string{"memberships dir added 2", "memberships dir removed 1", "errors dir sales 1"}
	if len(got) != len(want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %q, want %q", i, got[i], want[i])
		}
	}
	if _, ok := s.accounts["dir"]["add"]; ok {
		t.Error("a membership change was counted as an account's")
	}
}
