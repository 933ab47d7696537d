package exec

import "syscall"

// withParentDeathSignal has the kernel send the command SIGKILL when the
// thread that started it exits.
func withParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
