//go:build unix && !linux

package exec

import "syscall"

// withParentDeathSignal does nothing: the system has no parent-death
// signal, and a recovery run kills the recorded group instead.
func withParentDeathSignal(*syscall.SysProcAttr) {}
