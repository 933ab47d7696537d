package state

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// Shadows inserted many to a statement read back as stored one by one,
// whether their statement binds the values they share once (all of one
// resource, type, situation and time) or not (a second resource, another
// situation, a synchronization time of its own, pending operations).
func TestHeldShadowsReadBackWhole(t *testing.T) {
	t.Parallel()
	b := setup(t)
	owner := newUser("ann", nil)
	b.addUsers(t, owner)
	var put []*Shadow
	b.repo(t, func(r *RepositoryTx) error {
		for i := range 3*shadowRowsPerInsert + 5 {
			sh := shadow("hr", fmt.Sprintf("k%03d", i))
			sh.SyncedAt = r.Now()
			switch {
			case i == 1:
				sh.Owner = owner.ID
			case i == shadowRowsPerInsert+3:
				sh.Resource = "ldap"
			case i == 2*shadowRowsPerInsert+1:
				sh.Situation = "unlinked"
			case i == 2*shadowRowsPerInsert+2:
				sh.SyncedAt = r.Now().Add(-time.Hour)
			case i == 2*shadowRowsPerInsert+4:
				sh.SyncedAt = time.Time{}
				sh.Pending = []PendingOperation{{Op: OpCreate, Attributes: map[string][]string{"uid": {"x"}}}}
			}
			if err := r.PutShadow(sh); err != nil {
				return err
			}
			put = append(put, sh)
		}
		return nil
	})
	b.repo(t, func(r *RepositoryTx) error {
		for _, want := range put {
			got, err := r.ShadowByID(want.ID)
			if err != nil {
				return err
			}
			if got == nil {
				t.Fatalf("shadow %d (%s) not stored", want.ID, want.Key)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("shadow %s reads back as\n%+v\nwant\n%+v", want.Key, got, want)
			}
		}
		return nil
	})
}
