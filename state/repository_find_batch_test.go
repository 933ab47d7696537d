package state

import (
	"slices"
	"testing"
)

func TestFindUsersByValues(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.ensureIndex(t, "employee_number")
	ids := b.addUsers(t,
		&User{Name: "alice", Status: UserActive, Attributes: map[string]string{"employee_number": "e1", "mail": "a@x"}},
		&User{Name: "bob", Status: UserActive, Attributes: map[string]string{"employee_number": "e2"}},
		&User{Name: "twin1", Status: UserActive, Attributes: map[string]string{"employee_number": "e3"}},
		&User{Name: "twin2", Status: UserActive, Attributes: map[string]string{"employee_number": "e3"}},
		&User{Name: "twin3", Status: UserActive, Attributes: map[string]string{"employee_number": "e3"}},
	)
	tests := []struct {
		attr   string
		values []string
		want   map[string][]int64
		ok     bool
	}{
		{"employee_number", []string{"e1", "e3", "nobody", "", "e1' OR 1=1 --"}, map[string][]int64{"e1": {ids[0]}, "e3": {ids[2], ids[3]}}, true},
		{"name", []string{"bob", "carol"}, map[string][]int64{"bob": {ids[1]}}, true},
		{"employee_number", nil, map[string][]int64{}, true},
		{"mail", []string{"a@x"}, nil, false},
	}
	for _, tt := range tests {
		var got map[string][]int64
		var ok bool
		b.repo(t, func(r *RepositoryTx) (err error) {
			got, ok, err = r.FindUsersByValues(tt.attr, tt.values)
			return err
		})
		if ok != tt.ok || len(got) != len(tt.want) {
			t.Errorf("%s %v: %v %v, want %v %v", tt.attr, tt.values, got, ok, tt.want, tt.ok)
			continue
		}
		for v, w := range tt.want {
			if !slices.Equal(got[v], w) {
				t.Errorf("%s %q: %v, want %v", tt.attr, v, got[v], w)
			}
		}
	}
	b.repo(t, func(r *RepositoryTx) error {
		if _, _, err := r.FindUsersByValues("name", make([]string, MaxFindValues+1)); err != nil {
			t.Errorf("empty values count toward the limit: %v", err)
		}
		many := make([]string, MaxFindValues+1)
		for i := range many {
			many[i] = string(rune('a' + i%26))
		}
		if _, _, err := r.FindUsersByValues("name", many); err == nil {
			t.Error("more than MaxFindValues values accepted")
		}
		return nil
	})
}
