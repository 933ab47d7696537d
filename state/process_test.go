package state

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// startHolder re-runs the test binary as a process that takes the lock on
// path (see holdLock) and returns it with the lock ID it printed and its
// standard input, which releases the lock when closed (mode "hold").
func startHolder(t *testing.T, path, mode string) (*exec.Cmd, string, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STATE_TEST_HOLD_LOCK="+mode, "STATE_TEST_PATH="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	id, ok := strings.CutPrefix(strings.TrimSpace(line), "LOCKED ")
	if err != nil || !ok {
		t.Fatalf("holder printed %q, %v", line, err)
	}
	return cmd, id, stdin
}

func TestLockHeldByAnotherProcess(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cmd, id, release := startHolder(t, b.path, "hold")

	_, err := b.waitOut(func() error {
		_, err := b.store.LockAcquire(b.ctx, "apply", 200*time.Millisecond)
		return err
	})

	var locked *LockedError
	if !errors.As(err, &locked) || locked.Holder.ID != id || locked.Holder.PID != cmd.Process.Pid || locked.HolderGone {
		t.Fatalf("err = %v; want a LockedError naming live pid %d", err, cmd.Process.Pid)
	}
	if strings.Contains(err.Error(), "gone") {
		t.Errorf("err = %q; the holder is alive", err)
	}

	release.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	info, err := b.store.LockAcquire(b.ctx, "apply", 5*time.Second)
	if err != nil {
		t.Fatalf("Lock after the holder released: %v", err)
	}
	if info.PID != os.Getpid() {
		t.Errorf("lock = %+v", info)
	}
}

func TestLockOfDeadProcessIsReportedGone(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cmd, id, _ := startHolder(t, b.path, "exit")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}

	_, err := b.store.LockAcquire(b.ctx, "apply", 0)

	var locked *LockedError
	if !errors.As(err, &locked) || !locked.HolderGone || locked.Holder.ID != id {
		t.Fatalf("err = %v; want a LockedError with the holder gone", err)
	}
	for _, want := range []string{
		fmt.Sprintf("the holder process (pid %d) is gone", cmd.Process.Pid),
		"syncline state unlock " + id,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q; want it to contain %q", err, want)
		}
	}
	if err := b.store.LockRelease(b.ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.LockAcquire(context.Background(), "apply", 0); err != nil {
		t.Fatalf("Lock after unlocking the dead holder's lock: %v", err)
	}
}
