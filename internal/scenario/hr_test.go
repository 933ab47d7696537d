package scenario

import (
	"bytes"
	"strings"
	"testing"
)

func TestHRVariant(t *testing.T) {
	h := HR{Rows: 1000}
	var before, after bytes.Buffer
	if err := h.Write(&before, false); err != nil {
		t.Fatal(err)
	}
	if err := h.Write(&after, true); err != nil {
		t.Fatal(err)
	}
	b := strings.Split(strings.TrimSuffix(before.String(), "\n"), "\n")
	a := strings.Split(strings.TrimSuffix(after.String(), "\n"), "\n")
	if len(b) != 1+h.Rows || len(a) != 1+h.Rows-h.Deleted() {
		t.Fatalf("%d and %d lines", len(b), len(a))
	}
	if h.Changed() != 10 || h.Deleted() != 10 || h.Terminated() != 10 {
		t.Errorf("changed %d, deleted %d, terminated %d", h.Changed(), h.Deleted(), h.Terminated())
	}
	if got := b[1+50]; got != "e0000050,tomas.prochazka.50,Tomáš,Procházka,tomas.prochazka.50@hr.example.com,Support,active" {
		t.Errorf("row 50 = %q", got)
	}
	if got := a[1+50]; got != "e0000050,tomas.prochazka.50,Tomáš,Kučera,tomas.prochazka.50@hr.example.com,Engineering,active" {
		t.Errorf("changed row 50 = %q", got)
	}
	if !strings.HasSuffix(b[1+37], ",terminated") {
		t.Errorf("row 37 = %q", b[1+37])
	}
}

func TestHRAccounts(t *testing.T) {
	h := HR{Rows: 200}
	var got []HRAccount
	h.Accounts(func(a HRAccount) bool { got = append(got, a); return true })
	if len(got) != h.Active() || h.Active() != 198 {
		t.Fatalf("%d accounts, Active() = %d", len(got), h.Active())
	}
	want := HRAccount{Login: "tomas.prochazka.50", FullName: "Tomáš Procházka", Email: "tomas.prochazka.50@hr.example.com", Department: "Support"}
	if got[49] != want { // rows 0–49 less row 37
		t.Errorf("account of row 50 = %+v", got[49])
	}
}
