//go:build unix

package ldap_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process has used, and
// that of its children that have finished (ldapsearch): the client's
// side of a benchmark, apart from the slapd it talks to.
func cpuTime() (self, children time.Duration) {
	var s, c syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &s)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &c)
	sum := func(r syscall.Rusage) time.Duration {
		return time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	return sum(s), sum(c)
}
