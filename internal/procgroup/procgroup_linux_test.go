package procgroup_test

import (
	"bufio"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/internal/procgroup"
)

// TestKillGroupOfOrphans starts a shell in its own group that leaves a
// child behind, kills the shell alone, and checks that the group is still
// alive through the child and that Kill ends it.
func TestKillGroupOfOrphans(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("sh", "-c", "sleep 30 & echo started; wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
		t.Fatal(err) // the sleep runs once the shell says so
	}
	g := procgroup.Of(cmd.Process.Pid)
	t.Cleanup(func() { _ = syscall.Kill(-g.ID, syscall.SIGKILL) })
	if g.Start == 0 || !procgroup.Alive(g) {
		t.Fatalf("group %+v not seen alive", g)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if !procgroup.Alive(g) {
		t.Fatal("the group's sleep should keep it alive after its leader died")
	}
	reused := g
	reused.Start += 1 << 40 // a leader recorded as started long after every process of the group
	if procgroup.Alive(reused) {
		t.Error("a group whose processes started before the recorded leader is another group")
	}
	killed, err := procgroup.Kill(g, 5*time.Second)
	if !killed || err != nil {
		t.Fatalf("Kill = %v, %v", killed, err)
	}
	if procgroup.Alive(g) {
		t.Error("the group is alive after Kill")
	}
	if killed, err := procgroup.Kill(g, time.Second); killed || err != nil {
		t.Errorf("Kill of a dead group = %v, %v", killed, err)
	}
}
