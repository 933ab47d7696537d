package synchronization

import (
	"errors"
	"slices"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// apply writes e to the repository: the user, the object's shadow, and
// the provisioning operations queued on their shadows. It returns every
// shadow it stored, in order, each marked due when its operations are
// due at once (resources without a grouping_interval), for the executor.
func apply(r *state.RepositoryTx, e *effects) ([]storedShadow, error) {
	var userID int64
	if e.user != nil {
		userID = e.user.ID
	}
	switch e.userOp {
	case userAdd:
		if err := r.InsertUser(e.user); err != nil {
			return nil, repositoryError(err)
		}
		userID = e.user.ID
	case userModify, userDisable, userEnable:
		if err := r.UpdateUser(e.user); err != nil {
			return nil, repositoryError(err)
		}
	}
	if e.shadow != nil {
		if e.linkOp == "link" {
			e.shadow.Owner = userID
		}
		if e.shadow.Owner != 0 && !e.shadow.Dead {
			e.shadow.Situation = string(config.SituationLinked)
		}
		if err := r.PutShadow(e.shadow); err != nil {
			return nil, err
		}
	}
	var stored []storedShadow
	if e.shadow != nil {
		stored = append(stored, storedShadow{sh: e.shadow})
	}
	for _, a := range e.accounts {
		sh := a.shadow
		if e.shadow != nil && sameObject(sh, e.shadow) {
			sh.ID = e.shadow.ID
		}
		if a.newOwner {
			sh.Owner = userID
		}
		if a.queues() {
			queueAll(sh, a, r.Now())
		}
		if err := r.PutShadow(sh); err != nil {
			return nil, err
		}
		stored = append(stored, storedShadow{sh: sh, due: a.queues() && a.rt.res.GroupingInterval == 0})
	}
	if e.userOp == userDelete {
		if err := r.DeleteUser(e.user.ID); err != nil {
			return nil, err
		}
	}
	return stored, nil
}

// storedShadow is a shadow a transaction stored, as it stored it; due is
// set when its operations are due at once.
type storedShadow struct {
	sh  *state.Shadow
	due bool
}

// dueCount is the number of shadows of stored whose operations are due.
func dueCount(stored []storedShadow) int {
	n := 0
	for _, s := range stored {
		if s.due {
			n++
		}
	}
	return n
}

// queue adds a's operation to its shadow's pending operations and makes
// the cached attributes what the object will be once it is done. The
// hash is cleared: the object is not confirmed on the resource yet. A
// delete that cancels a create never tried leaves the shadow dead and
// unlinked, in the transaction that decided the delete.
func queue(sh *state.Shadow, a *accountOp, now time.Time) {
	// A write-only value is never stored, not even in the queue: the
	// executor takes it from the pass that decided it (see expect).
	p := state.PendingOperation{Op: a.op, Attributes: a.rt.cached(a.attrs), QueuedAt: now}
	if gi := a.rt.res.GroupingInterval; gi > 0 {
		p.NextAttemptAt = now.Add(gi)
	}
	sh.Pending = slices.Clone(sh.Pending)
	if a.op == state.OpRename {
		// The rename, then the other attributes under the new name.
		rn := p
		rn.Identifier, rn.Key, rn.Attributes = a.newID, a.newKey, nil
		sh.Pending = append(sh.Pending, rn)
		p.Op = state.OpUpdate
		if len(a.attrs) == 0 {
			sh.Hash = ""
			return
		}
	}
	sh.Pending = append(sh.Pending, p)
	if p.Op == state.OpDelete && forgetNeverCreated(sh) {
		return
	}
	switch p.Op {
	case state.OpCreate:
		sh.Attributes = a.rt.cached(a.attrs)
	case state.OpUpdate, state.OpDisable:
		merged := connector.Attributes(sh.Attributes).Clone()
		for k, vs := range a.rt.cached(a.attrs) {
			merged[k] = vs
		}
		sh.Attributes = merged
	}
	sh.Hash = ""
}

// repositoryError makes a refused user change the object's error.
func repositoryError(err error) error {
	var t *state.UserExistsError
	if errors.As(err, &t) {
		return objErr(CategoryRepository, takenName(t.Name))
	}
	return err
}
