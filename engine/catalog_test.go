package engine

import (
	"errors"
	"strings"
	"testing"
)

const catalogHCL = `
schedule "often" {
  every = "15m"
}

task "hello" {
  schedule = schedule.often
  activity "exec" {
    command = "true"
  }
}

task "other" {
  activity "exec" {
    command = "true"
  }
}
`

func TestCatalogRunsWhatWasApplied(t *testing.T) {
	t.Parallel()
	b := setup(t, catalogHCL)
	cat := b.catalog(t)
	if err := cat.Check("hello"); err != nil {
		t.Fatalf("applied task: %v", err)
	}
	if tk, err := cat.Task("hello"); err != nil || tk.Name != "hello" {
		t.Fatalf("Task(hello) = %v, %v", tk, err)
	}
	if got := len(cat.Tasks()); got != 2 {
		t.Fatalf("Tasks() has %d tasks, want 2", got)
	}
}

func TestCatalogRefusesEditsNotApplied(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, edit, task, want string
	}{
		{"task edited", strings.Replace(catalogHCL, `command = "true"`, `command = "false"`, 1), "hello",
			"task.hello in DIR differs from the applied definition; run syncline plan / apply"},
		{"schedule edited", strings.Replace(catalogHCL, `"15m"`, `"5m"`, 1), "hello",
			"schedule.often (used by task.hello) in DIR differs from the applied definition; run syncline plan / apply"},
		{"task added", catalogHCL + "task \"new\" {\n  activity \"exec\" {\n    command = \"true\"\n  }\n}\n", "new",
			"task.new in DIR is not applied yet; run syncline plan / apply"},
		{"task removed", strings.Replace(catalogHCL, "task \"other\"", "task \"renamed\"", 1), "other",
			"task.other is applied but no longer in DIR; run syncline plan / apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, catalogHCL)
			b.write(t, tt.edit)
			err := b.catalog(t).Check(tt.task)
			want := strings.ReplaceAll(tt.want, "DIR", b.dir)
			if err == nil || err.Error() != want {
				t.Fatalf("Check(%s) = %v\nwant %s", tt.task, err, want)
			}
			if !errors.Is(err, ErrNotRunnable) {
				t.Errorf("error is not ErrNotRunnable: %v", err)
			}
		})
	}
}

func TestCatalogUnknownTaskListsNames(t *testing.T) {
	t.Parallel()
	b := setup(t, catalogHCL)
	_, err := b.catalog(t).Task("helo")
	if !errors.Is(err, ErrUnknownTask) {
		t.Fatalf("Task(helo) = %v, want ErrUnknownTask", err)
	}
	if !strings.Contains(err.Error(), "the tasks are hello, other") {
		t.Errorf("error does not list the tasks: %v", err)
	}
}

func TestCatalogWithSnapshotRechecks(t *testing.T) {
	t.Parallel()
	b := setup(t, catalogHCL)
	cat := b.catalog(t)
	b.write(t, strings.Replace(catalogHCL, `command = "true"`, `command = "false"`, 1))
	b.apply(t) // another process applied an edit the catalog has not loaded
	snap, err := b.store.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	again := cat.WithSnapshot(snap)
	if again.Serial() != snap.Serial {
		t.Errorf("serial %d, want %d", again.Serial(), snap.Serial)
	}
	if err := again.Check("hello"); !errors.Is(err, ErrNotRunnable) {
		t.Errorf("old files against the new state: %v, want ErrNotRunnable", err)
	}
	if err := again.Check("other"); err != nil {
		t.Errorf("unchanged task: %v", err)
	}
}
