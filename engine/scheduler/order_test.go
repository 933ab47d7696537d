package scheduler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncline/syncline/config"
)

func TestOrder(t *testing.T) {
	t.Parallel()
	task := func(name string, after ...string) *config.Task {
		tk := &config.Task{Name: name, Enabled: true}
		for _, a := range after {
			tk.After = append(tk.After, &config.Reference{Address: config.Address{Kind: config.KindTask, Name: a}})
		}
		return tk
	}
	off := task("off")
	off.Enabled = false
	tasks := []*config.Task{task("z"), task("report", "reconcile"), task("reconcile", "import"), task("import"), task("b", "off"), off}
	tests := []struct {
		name     string
		selected []string // nil: every enabled task
		want     string
	}{
		{"all, chains first when ready", nil, "b,import,reconcile,report,z"},
		{"a selected task brings what runs after it", []string{"import"}, "import,reconcile,report"},
		{"middle of a chain", []string{"reconcile"}, "reconcile,report"},
		{"disabled is never run", []string{"off"}, ""},
		{"nothing selected", []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sel map[string]bool
			if tt.selected != nil {
				sel = map[string]bool{}
				for _, s := range tt.selected {
					sel[s] = true
				}
			}
			var got []string
			for _, tk := range Order(tasks, sel) {
				got = append(got, tk.Name)
			}
			if s := strings.Join(got, ","); s != tt.want {
				t.Errorf("order = %s, want %s", s, tt.want)
			}
		})
	}
}

// ExampleOrder: up runs a chain in its after order, and a task selected
// brings along those that run after it.
func ExampleOrder() {
	task := func(name string, after ...string) *config.Task {
		tk := &config.Task{Name: name, Enabled: true}
		for _, a := range after {
			tk.After = append(tk.After, &config.Reference{Address: config.Address{Kind: config.KindTask, Name: a}})
		}
		return tk
	}
	tasks := []*config.Task{task("reconcile", "import"), task("audit"), task("import")}
	names := func(order []*config.Task) string {
		var out []string
		for _, t := range order {
			out = append(out, t.Name)
		}
		return strings.Join(out, " ")
	}
	fmt.Println(names(Order(tasks, nil)))
	fmt.Println(names(Order(tasks, map[string]bool{"import": true})))
	// Output:
	// audit import reconcile
	// import reconcile
}
