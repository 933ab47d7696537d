package procgroup

import (
	"fmt"
	"os"
	"time"
)

// Group is a process group a run's activity started.
type Group struct {
	// ID is the group's ID: the PID of the process that leads it.
	ID int `json:"id"`
	// Host is where it runs; only a process on that host can check it.
	Host string `json:"host"`
	// Start is when the leader started, as the kernel counts it (Linux:
	// clock ticks since boot); 0 when unknown.
	Start uint64 `json:"start,omitempty"`
}

// String names the group for a run's output: "process group 1234 on db1".
func (g Group) String() string {
	return fmt.Sprintf("process group %d on %s", g.ID, g.Host)
}

// Of describes the group the just-started process pid leads (it was
// started with its own process group).
func Of(pid int) Group {
	return Group{ID: pid, Host: Host(), Start: startTime(pid)}
}

// Host is this host's name, as groups record it.
func Host() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		return "localhost"
	}
	return host
}

// Alive reports whether a process of g still runs on this host. A group
// whose ID another group now uses (its leader started at another time)
// is not g, and is not alive.
func Alive(g Group) bool {
	return g.ID > 1 && g.Host == Host() && alive(g)
}

// Kill sends SIGKILL to every process of g, when it is alive, and waits
// until none runs, at most within. It reports whether it killed anything,
// and an error when the group is still there after within.
func Kill(g Group, within time.Duration) (bool, error) {
	if !Alive(g) {
		return false, nil
	}
	if err := kill(g); err != nil {
		return true, fmt.Errorf("killing %s: %w", g, err)
	}
	deadline := time.Now().Add(within)
	for Alive(g) {
		if time.Now().After(deadline) {
			return true, fmt.Errorf("%s is still running %s after SIGKILL", g, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true, nil
}
