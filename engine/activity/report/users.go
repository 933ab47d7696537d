package report

import (
	"context"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// userFields are the columns every user has, before its attributes.
var userFields = []string{"name", "status", "created_at", "updated_at"}

// usersTable is a row per user the filter selects, by name.
func usersTable(ctx context.Context, j *job) (*table, error) {
	f := newFilter(j.ac.Config, j.ac.Activity.Filter, config.RootUser)
	cols := newColumnSet(userFields...)
	t := &table{}
	err := j.ac.Store.UsersEach(ctx, func(u *state.User) error {
		if !j.selected(u.Name, func() (bool, error) { return f.user(u) }) {
			return ctx.Err()
		}
		row := map[string]string{
			"name": u.Name, "status": u.Status,
			"created_at": formatTime(u.CreatedAt), "updated_at": formatTime(u.UpdatedAt),
		}
		for k, v := range u.Attributes {
			cols.attribute(k)
			row[attributePrefix+k] = v
		}
		t.rows = append(t.rows, row)
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	t.columns = selectColumns(j.settings.Columns, cols.list())
	return t, nil
}
