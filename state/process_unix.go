//go:build unix

package state

import (
	"errors"
	"syscall"
)

// processGone reports whether no process with pid exists on this host.
// A process owned by another user answers EPERM: it exists.
func processGone(pid int) bool {
	if pid <= 0 {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
