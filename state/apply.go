package state

import "context"

// Apply writes one plan's changes in a single transaction: it checks the
// request's lineage and serial against the store (LineageMismatchError,
// StaleError), applies Moves, then Upserts, then Deletes (ConflictError
// when an address is missing or taken), and — when anything changed —
// bumps the serial and appends one history record. On any error nothing
// is written.
//
// An upsert whose hash equals the stored one is not a change: its source
// file and line are still updated, but neither the serial nor the history
// moves for it, and its revision and UpdatedAt keep naming the apply that
// last changed its spec.
//
// In the same transaction the tasks' runtime records follow the
// definitions (see applyTaskRuntime): a stored task is active, a removed
// one closed with its queued runs cancelled, a moved one takes its record
// and runs along.
func (s *Store) Apply(ctx context.Context, req ApplyRequest) (*ApplyResult, error) {
	if err := validateRequest(&req); err != nil {
		return nil, s.fail("apply", err, "")
	}
	var res *ApplyResult
	err := s.writeTx(ctx, func(w *writeTx) error {
		var err error
		res, err = w.apply(&req)
		return err
	})
	if err != nil {
		return nil, s.fail("apply", err, "")
	}
	return res, nil
}

// apply performs the steps of an apply inside its transaction.
func (a *writeTx) apply(req *ApplyRequest) (*ApplyResult, error) {
	lineage, err := a.checkLineage(req.Lineage)
	if err != nil {
		return nil, err
	}
	serial, err := a.checkSerial(req.Serial)
	if err != nil {
		return nil, err
	}
	changed, err := a.applyDefinitions(req)
	if err != nil {
		return nil, err
	}
	if changed {
		serial++
		if err := a.recordApply(req, serial); err != nil {
			return nil, err
		}
	}
	return &ApplyResult{Lineage: lineage, Serial: serial, Changed: changed}, nil
}

// applyDefinitions applies moves, upserts and deletes in that order and
// reports whether any of them changed something.
func (a *writeTx) applyDefinitions(req *ApplyRequest) (bool, error) {
	changed := false
	for _, m := range req.Moves {
		if err := a.move(m); err != nil {
			return false, err
		}
		changed = true
	}
	for _, d := range req.Upserts {
		c, err := a.upsert(d, req.Revision)
		if err != nil {
			return false, err
		}
		changed = changed || c
	}
	for _, addr := range req.Deletes {
		if err := a.delete(addr); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, a.applyTaskRuntime(req)
}
