package main

import (
	"context"

	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
)

// changePage is how many changes are read at a time to count them.
const changePage = 1000

// loadRunChanges reads the changes recorded for run id, keeping the first
// limit to list (all when limit < 0) and counting every one.
func loadRunChanges(ctx context.Context, st *state.Store, id int64, limit int) (views.RunChanges, error) {
	rc := views.RunChanges{Tally: views.ChangeTally{}}
	for offset := 0; ; offset += changePage {
		page, total, err := st.RunChanges(ctx, id, offset, changePage)
		if err != nil {
			return views.RunChanges{}, err
		}
		rc.Total = total
		for _, c := range page {
			rc.Tally.Add(c)
			if limit < 0 || len(rc.Listed) < limit {
				rc.Listed = append(rc.Listed, c)
			}
		}
		if len(page) < changePage {
			return rc, nil
		}
	}
}
