//go:build unix && !linux

package procgroup

import "syscall"

// startTime is unknown outside Linux.
func startTime(int) uint64 { return 0 }

// alive asks with signal 0 whether the group has a process; a zombie
// counts, and a reused ID cannot be told apart.
func alive(g Group) bool {
	err := syscall.Kill(-g.ID, 0)
	return err == nil || err == syscall.EPERM
}

func kill(g Group) error { return syscall.Kill(-g.ID, syscall.SIGKILL) }
