package state

import (
	"database/sql"
	"slices"
	"strings"
)

// MaxFindValues bounds the values one FindUsersByValues call takes.
const MaxFindValues = 500

// FindUsersByValues correlates many objects at once on one attribute: it
// returns, for each of values that some user holds, the IDs (ascending)
// of at most two users holding it — enough to tell one match from
// several. ok is false when attribute is neither "name" nor in the
// correlation index; the caller then asks FindUsers per object. At most
// MaxFindValues values; empty values match nothing.
func (r *RepositoryTx) FindUsersByValues(attribute string, values []string) (found map[string][]int64, ok bool, err error) {
	values = slices.DeleteFunc(slices.Clone(values), func(v string) bool { return v == "" })
	if len(values) > MaxFindValues {
		return nil, false, r.fail(invalidRepo("FindUsersByValues takes at most %d values, not %d", MaxFindValues, len(values)))
	}
	if err := r.flush(); err != nil {
		return nil, false, r.fail(err)
	}
	var query string
	args := make([]any, 0, len(values)+1)
	switch indexed, err := r.isIndexed(attribute); {
	case err != nil:
		return nil, false, r.fail(err)
	case attribute == "name":
		query = "SELECT name, id FROM users WHERE name IN (%s) ORDER BY id"
	case indexed:
		query = "SELECT value, user_id FROM user_keys WHERE attribute = ? AND value IN (%s) ORDER BY user_id"
		args = append(args, attribute)
	default:
		return nil, false, nil
	}
	found = map[string][]int64{}
	if len(values) == 0 {
		return found, true, nil
	}
	for _, v := range values {
		args = append(args, v)
	}
	query = strings.Replace(query, "%s", placeholders(len(values)), 1)
	st, err := r.preparedText(query)
	if err != nil {
		return nil, false, r.fail(err)
	}
	err = eachRow(r.stmtCtx, st, func(rows *sql.Rows) error {
		var (
			v  string
			id int64
		)
		if err := rows.Scan(&v, &id); err != nil {
			return err
		}
		if len(found[v]) < 2 {
			found[v] = append(found[v], id)
		}
		return nil
	}, args...)
	if err == nil {
		err = r.after(query)
	}
	if err != nil {
		return nil, false, r.fail(err)
	}
	return found, true, nil
}
