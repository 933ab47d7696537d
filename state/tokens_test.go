package state

import "testing"

// TestSyncTokenMovesWithItsTransaction: a token stored in a repository
// transaction that fails is not stored; one that commits is, with the
// changes it covers counted; a token asked for another resource is none.
func TestSyncTokenMovesWithItsTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tok := SyncToken{Task: "hr-live", Activity: "live_sync", Resource: "hr", Kind: "account", Intent: "default", Token: "t1", RunID: 3}
	put := func(tok SyncToken, taken int64, fail bool) {
		t.Helper()
		errFail := &Error{Op: "test"}
		err := b.store.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
			if err := r.PutSyncToken(tok, taken); err != nil {
				return err
			}
			if fail {
				return errFail
			}
			return nil
		})
		if fail != (err != nil) {
			t.Fatalf("put %s: %v", tok.Token, err)
		}
	}
	get := func(resource string) *SyncToken {
		t.Helper()
		got, err := b.store.SyncToken(b.ctx, "hr-live", "live_sync", resource, "account", "default")
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := get("hr"); got != nil {
		t.Fatalf("a token before any: %+v", got)
	}
	put(tok, 5, false)
	tok.Token, tok.RunID = "t2", 4
	put(tok, 7, true) // rolled back with the changes it covered
	if got := get("hr"); got == nil || got.Token != "t1" || got.Changes != 5 || got.RunID != 3 {
		t.Fatalf("after a failed transaction: %+v", got)
	}
	put(tok, 7, false)
	if got := get("hr"); got == nil || got.Token != "t2" || got.Changes != 12 || got.RunID != 4 {
		t.Errorf("after two: %+v", got)
	}
	if got := get("crm"); got != nil {
		t.Errorf("the token of another resource: %+v", got)
	}
	tok.Resource, tok.Token = "crm", "c1"
	put(tok, 1, false)
	if got := get("crm"); got == nil || got.Changes != 1 {
		t.Errorf("a token for a new resource starts its count again: %+v", got)
	}
	all, err := b.store.SyncTokens(b.ctx, "hr-live")
	if err != nil || len(all) != 1 || all[0].Resource != "crm" {
		t.Errorf("tokens: %+v %v", all, err)
	}
}
