package state

import (
	"database/sql"
	"errors"
	"strconv"

	"github.com/google/uuid"
)

// checkLineage returns the store's lineage after comparing it with the
// plan's. A plan without lineage is accepted only by a store without one,
// which then gets its lineage now.
func (a *writeTx) checkLineage(planLineage string) (string, error) {
	var stored string
	err := a.queryRow(`SELECT value FROM meta WHERE key = 'lineage'`, nil, &stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	if stored == "" && planLineage == "" {
		stored = uuid.NewString()
		_, err := a.exec(`INSERT INTO meta (key, value) VALUES ('lineage', ?)`, stored)
		return stored, err
	}
	if stored != planLineage {
		return "", &LineageMismatchError{PlanLineage: planLineage, StateLineage: stored}
	}
	return stored, nil
}

// checkSerial returns the store's serial when it is the plan's.
func (a *writeTx) checkSerial(planSerial int64) (int64, error) {
	var text string
	if err := a.queryRow(`SELECT value FROM meta WHERE key = 'serial'`, nil, &text); err != nil {
		return 0, err
	}
	serial, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return 0, err
	}
	if serial != planSerial {
		return 0, &StaleError{PlanSerial: planSerial, StateSerial: serial}
	}
	return serial, nil
}

// recordApply moves the serial on and appends the history record.
func (a *writeTx) recordApply(req *ApplyRequest, serial int64) error {
	if _, err := a.exec(`UPDATE meta SET value = ? WHERE key = 'serial'`, strconv.FormatInt(serial, 10)); err != nil {
		return err
	}
	var changes any // NULL when the plan gave no summary
	if len(req.Changes) > 0 {
		changes = string(req.Changes)
	}
	_, err := a.exec(`INSERT INTO applies (at, who, revision, serial, changes, forced_over) VALUES (?, ?, ?, ?, ?, ?)`,
		formatTime(a.now), req.Who, req.Revision, serial, changes, req.ForcedOver)
	return err
}
