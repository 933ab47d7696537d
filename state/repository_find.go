package state

import (
	"database/sql"
	"slices"
	"strings"
)

// FindUsers returns the IDs, ascending, of at most limit users for whom
// every entry of match holds: "name" and "status" compare those columns,
// any other key the attribute of that name (a user without the attribute
// does not match). Attributes of the correlation index (UserIndexEnsure)
// are looked up there; others are compared in every user's attributes,
// which reads them all. An empty match, or a limit below 1, finds
// nothing, never everyone. A limit of 2 tells one match from several.
//
// Attribute names and values are only ever bound as parameters, so any
// text is safe in either.
func (r *RepositoryTx) FindUsers(match map[string]string, limit int) ([]int64, error) {
	if len(match) == 0 || limit < 1 {
		return nil, nil
	}
	if err := r.flush(); err != nil {
		return nil, r.fail(err)
	}
	query, args, err := r.findQuery(match)
	if err != nil {
		return nil, r.fail(err)
	}
	st, err := r.preparedText(query)
	if err != nil {
		return nil, r.fail(err)
	}
	var ids []int64
	err = eachRow(r.stmtCtx, st, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	}, append(args, limit)...)
	if err == nil {
		err = r.after(query)
	}
	if err != nil {
		return nil, r.fail(err)
	}
	return ids, nil
}

// findQuery builds FindUsers' query for match, its conditions in the
// order of the sorted keys so that one shape of match is one statement.
// Only placeholders carry match's text.
func (r *RepositoryTx) findQuery(match map[string]string) (string, []any, error) {
	keys := make([]string, 0, len(match))
	for k := range match {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var (
		conds []string
		args  = make([]any, 0, 2*len(keys)+1)
	)
	for _, k := range keys {
		v := match[k]
		switch k {
		case "name", "status":
			conds = append(conds, "u."+k+" = ?")
			args = append(args, v)
			continue
		}
		indexed, err := r.isIndexed(k)
		if err != nil {
			return "", nil, err
		}
		if indexed {
			conds = append(conds, "u.id IN (SELECT user_id FROM user_keys WHERE attribute = ? AND value = ?)")
		} else {
			conds = append(conds, sqlUserHasAttribute)
		}
		args = append(args, k, v)
	}
	query := "SELECT u.id FROM users AS u WHERE " + strings.Join(conds, " AND ") + " ORDER BY u.id LIMIT ?"
	return query, args, nil
}

// sqlUserHasAttribute matches users whose attribute ? has the text value
// ?, for attributes the correlation index does not cover.
const sqlUserHasAttribute = "EXISTS (SELECT 1 FROM json_each(u.attributes) AS j WHERE j.key = ? AND j.value = ? AND j.type = 'text')"
