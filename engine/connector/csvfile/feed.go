package csvfile

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/syncline/syncline/engine/connector"
)

// Changes compares the file with the snapshot token names and reports
// created and updated rows in file order, then deleted ones. A file with
// unreadable rows or duplicate identifiers reports nothing and returns the
// row's error: a row that cannot be read must not look deleted.
func (c *Connector) Changes(ctx context.Context, token string, fn func(connector.Change) error) (string, error) {
	if c.cfg.StateDir == "" {
		return "", c.errs.New(connector.ErrUnsupported, "changes", fmt.Errorf("there is no state directory for snapshots"), "")
	}
	store := snapshotStore{dir: c.cfg.StateDir, resource: c.Resource()}
	oldPath, err := c.checkToken(store, token)
	if err != nil {
		return "", err
	}
	rr, err := c.openRows("changes")
	if err != nil {
		return "", err
	}
	defer rr.close()
	current, err := c.digestRows(ctx, rr)
	if err != nil {
		return "", err
	}
	next, err := store.write(current)
	if err != nil {
		return "", c.errs.New(connector.ErrUnreachable, "changes", fmt.Errorf("cannot write a snapshot: %w", err), "")
	}
	if token != "" {
		if err := c.report(ctx, rr, store, oldPath, current, fn); err != nil {
			return "", err
		}
	}
	store.prune(token, next)
	return next, nil
}

// checkToken returns the snapshot file a non-empty token names.
func (c *Connector) checkToken(store snapshotStore, token string) (string, error) {
	if token == "" {
		return "", nil
	}
	path, err := store.path(token)
	if err == nil {
		_, err = os.Stat(path)
	}
	if err != nil {
		return "", c.errs.New(connector.ErrInvalidToken, "changes", err,
			"The snapshot behind this token is gone. Run a reconciliation, then start live sync again from an empty token.")
	}
	return path, nil
}

// digestRows hashes every row, sorted by identifier.
func (c *Connector) digestRows(ctx context.Context, rr *rowReader) ([]entry, error) {
	var out []entry
	h := sha256.New()
	seen := newIDIndex()
	for n := 0; ; n++ {
		if n%ctxCheckEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rw, err := rr.next()
		if err == io.EOF {
			break
		}
		if err == nil {
			err = rw.err
		}
		if err == nil {
			err = rr.checkDuplicate(seen, rw)
		}
		if err != nil {
			return nil, withHint(err, "No changes were reported; live sync goes on once the file is fixed.")
		}
		out = append(out, entry{id: strings.Clone(rw.id), hash: digestRow(h, rw.fields)})
	}
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.id, b.id) })
	return out, nil
}

// pending is a row to report as created or updated.
type pending struct {
	typ  connector.ChangeType
	hash rowDigest
}

// report diffs the old snapshot against current and calls fn.
func (c *Connector) report(ctx context.Context, rr *rowReader, store snapshotStore, oldPath string, current []entry, fn func(connector.Change) error) error {
	changed, deleted, err := diffSnapshot(store, oldPath, current)
	if err != nil {
		return c.errs.New(connector.ErrInvalidToken, "changes", err, "Run a reconciliation, then start live sync again from an empty token.")
	}
	if len(changed) > 0 {
		if err := c.reportChanged(ctx, rr, changed, fn); err != nil {
			return err
		}
	}
	for _, id := range deleted {
		if err := fn(connector.Change{Type: connector.ChangeDelete, ID: id, Object: connector.Object{ID: id}}); err != nil {
			return err
		}
	}
	return nil
}

// diffSnapshot merges the sorted old snapshot with the sorted current rows.
func diffSnapshot(store snapshotStore, oldPath string, current []entry) (map[string]pending, []string, error) {
	changed := map[string]pending{}
	var deleted []string
	i := 0
	err := store.read(oldPath, func(old entry) error {
		for ; i < len(current) && current[i].id < old.id; i++ {
			changed[current[i].id] = pending{connector.ChangeCreate, current[i].hash}
		}
		if i < len(current) && current[i].id == old.id {
			if current[i].hash != old.hash {
				changed[old.id] = pending{connector.ChangeUpdate, current[i].hash}
			}
			i++
			return nil
		}
		deleted = append(deleted, old.id)
		return nil
	})
	for ; i < len(current); i++ {
		changed[current[i].id] = pending{connector.ChangeCreate, current[i].hash}
	}
	return changed, deleted, err
}

// reportChanged reads the file a second time, from the same open file, and
// reports the created and updated rows with their objects.
func (c *Connector) reportChanged(ctx context.Context, rr *rowReader, changed map[string]pending, fn func(connector.Change) error) error {
	if err := rr.rewind(); err != nil {
		return err
	}
	h := sha256.New()
	for n := 0; ; n++ {
		if n%ctxCheckEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		rw, err := rr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		p, ok := changed[rw.id]
		if !ok || rw.err != nil {
			continue
		}
		if digestRow(h, rw.fields) != p.hash {
			return c.errs.New(connector.ErrUnreachable, "changes", fmt.Errorf("%s changed while syncline was reading it", c.cfg.Display),
				"Nothing was committed; try again.")
		}
		if err := fn(connector.Change{Type: p.typ, ID: rw.id, Object: rr.object(rw)}); err != nil {
			return err
		}
	}
}
