package report

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector/builtin"
	"github.com/syncline/syncline/state"
)

// shadowFields are the columns every shadow has, before its attributes.
var shadowFields = []string{"identifier", "resource", "kind", "intent", "situation", "owner",
	"dead", "synced_at", "pending", "created_at", "updated_at"}

// writeOnlyMark starts the fingerprint a shadow caches of a write-only
// value (engine/synchronization, write_only.go).
const writeOnlyMark = "(write-only"

// shadowsTable is a row per shadow of the activity's object type that
// the filter selects, by key.
func shadowsTable(ctx context.Context, j *job) (*table, error) {
	owners, err := j.ac.Store.UserNames(ctx)
	if err != nil {
		return nil, err
	}
	cols := newColumnSet(shadowFields...)
	t := &table{}
	err = j.eachShadow(ctx, func(sh *state.Shadow, attrs map[string][]string) {
		row := map[string]string{
			"identifier": sh.Identifier, "resource": sh.Resource, "kind": sh.Kind, "intent": sh.Intent,
			"situation": sh.Situation, "owner": owners[sh.Owner], "dead": strconv.FormatBool(sh.Dead),
			"synced_at": formatTime(sh.SyncedAt), "pending": strconv.Itoa(len(sh.Pending)),
			"created_at": formatTime(sh.CreatedAt), "updated_at": formatTime(sh.UpdatedAt),
		}
		for k, vs := range attrs {
			cols.attribute(k)
			row[attributePrefix+k] = strings.Join(vs, "\n")
		}
		t.rows = append(t.rows, row)
	})
	if err != nil {
		return nil, err
	}
	t.columns = selectColumns(j.settings.Columns, cols.list())
	return t, nil
}

// eachShadow calls fn with every shadow of the activity's object type the
// filter selects and its readable attributes.
func (j *job) eachShadow(ctx context.Context, fn func(sh *state.Shadow, attrs map[string][]string)) error {
	a := j.ac.Activity
	res := j.resource()
	f := newFilter(j.ac.Config, a.Filter, config.RootAttributes)
	return j.ac.Store.ShadowsEach(ctx, a.Resource.Name, a.Kind, a.Intent, func(sh *state.Shadow) error {
		attrs := readable(res, sh.Attributes)
		item := sh.Resource + "/" + sh.Identifier
		if j.selected(item, func() (bool, error) { return f.shadow(sh, attrs) }) {
			fn(sh, attrs)
		}
		return ctx.Err()
	})
}

// resource is the activity's resource; it exists, config checked it.
func (j *job) resource() *config.Resource { return j.ac.Config.Resources[j.ac.Activity.Resource.Name] }

// readable is a shadow's attributes without the write-only ones — by the
// connector's word, or by the fingerprint a shadow keeps of one.
func readable(res *config.Resource, attrs map[string][]string) map[string][]string {
	out := make(map[string][]string, len(attrs))
	for k, vs := range attrs {
		if writeOnly(res, k) || hasWriteOnlyMark(vs) {
			continue
		}
		out[k] = vs
	}
	return out
}

func writeOnly(res *config.Resource, attr string) bool {
	return res != nil && builtin.WriteOnly(res, attr)
}

func hasWriteOnlyMark(vs []string) bool {
	for _, v := range vs {
		if strings.HasPrefix(v, writeOnlyMark) {
			return true
		}
	}
	return false
}

// checkWriteOnlyColumns refuses a listed column that names a write-only
// attribute of the resource: a report never holds its values.
func checkWriteOnlyColumns(res *config.Resource, columns []string) error {
	for _, col := range columns {
		name := strings.TrimPrefix(col, attributePrefix)
		if writeOnly(res, name) || writeOnly(res, col) {
			return fmt.Errorf("the column %q is a write-only attribute of resource %q; a report never holds its values", col, res.Name)
		}
	}
	return nil
}
