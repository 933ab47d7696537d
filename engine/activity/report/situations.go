package report

import (
	"context"
	"slices"
	"strconv"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// situationsTable counts the shadows of the activity's object type the
// filter selects by situation: a row for every situation, in the order
// of config.Situations, then any other the state holds ("" is "none").
func situationsTable(ctx context.Context, j *job) (*table, error) {
	counts := map[string]int{}
	err := j.eachShadow(ctx, func(sh *state.Shadow, _ map[string][]string) {
		s := sh.Situation
		if s == "" {
			s = "none"
		}
		counts[s]++
	})
	if err != nil {
		return nil, err
	}
	var order []string
	for _, s := range config.Situations {
		order = append(order, string(s))
	}
	var others []string
	for s := range counts {
		if !slices.Contains(order, s) {
			others = append(others, s)
		}
	}
	slices.Sort(others)
	t := &table{numeric: map[string]bool{"count": true}}
	for _, s := range append(order, others...) {
		t.rows = append(t.rows, map[string]string{"situation": s, "count": strconv.Itoa(counts[s])})
	}
	t.columns = selectColumns(j.settings.Columns, config.ReportColumns["situations"])
	return t, nil
}
