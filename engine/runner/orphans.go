package runner

import (
	"context"
	"fmt"
	"time"

	"github.com/syncline/syncline/internal/procgroup"
)

// orphanKillWait bounds how long a recovery run waits for a killed
// process group to be gone before it gives up and fails.
const orphanKillWait = 10 * time.Second

// recordProcess records the child process group an activity started in
// the run's checkpoint and writes it at once: if this process dies, the
// run that recovers this one finds it there.
func (ex *execution) recordProcess(ctx context.Context, p runProcess) error {
	ex.mu.Lock()
	p.Run = ex.run.ID
	ex.ckpt.Process = &p
	ex.ckptSet = true
	ex.save() // releases ex.mu
	return ctx.Err()
}

// clearProcess records that the activity's process group ended; the next
// write of the progress stores it.
func (ex *execution) clearProcess() {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	ex.ckpt.Process = nil
	ex.ckptSet = true
}

// endOrphan makes sure the process group the interrupted run left in the
// checkpoint is gone before this run starts anything: a command of a
// crashed server, still running, would overlap this run's. It returns
// what it did, for the run's output ("" when the group had ended), and an
// error when the group outlived its SIGKILL.
func (ex *execution) endOrphan() (string, string, error) {
	ex.mu.Lock()
	p := ex.ckpt.Process
	ex.ckpt.Process = nil
	ex.ckptSet = ex.ckptSet || p != nil
	ex.mu.Unlock()
	if p == nil {
		return "", "", nil
	}
	if p.Host != procgroup.Host() {
		return p.Activity, fmt.Sprintf("%s, which run %d started, may still be running: only a process on %s can check it", p.Group, p.Run, p.Host), nil
	}
	killed, err := procgroup.Kill(p.Group, orphanKillWait)
	if err != nil {
		return p.Activity, "", fmt.Errorf("run %d left %s running, and this run did not start: %w", p.Run, p.Group, err)
	}
	if !killed {
		return "", "", nil
	}
	ex.r.Logger.Warn("killed a command an interrupted run left running", "run", ex.run.ID, "interrupted", p.Run, "process_group", p.ID)
	return p.Activity, fmt.Sprintf("killed %s, which run %d left running, before this run started", p.Group, p.Run), nil
}

// noteOrphan records what endOrphan did in the output of the activity
// that started the group (the first activity when the task has no longer
// an activity of that name).
func (ex *execution) noteOrphan(activityName, msg string) {
	if msg == "" {
		return
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if len(ex.run.Activities) == 0 {
		return
	}
	i := 0
	for j, a := range ex.run.Activities {
		if a.Name == activityName {
			i = j
		}
	}
	setOutput(&ex.run.Activities[i], "orphan", msg)
	ex.dirty = true
}
