package ldaptest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill slapd when the test binary dies
// before its cleanups run (a timeout, a kill), so no server is left behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
