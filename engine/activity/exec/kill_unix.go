//go:build unix

package exec

import (
	osexec "os/exec"
	"syscall"
)

// killGroup starts the command in its own process group and, when it is
// cancelled, kills the whole group: a shell's children die with it instead
// of holding its output open. Where the system has it (Linux), the
// command also dies when Syncline does (see runInGroup).
func killGroup(cmd *osexec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	withParentDeathSignal(cmd.SysProcAttr)
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
