//go:build unix

package runner

import (
	"errors"
	"syscall"
)

// processGone reports whether no process with pid exists on this host; a
// process of another user answers EPERM, so it exists.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
