package runner

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// WorkerPrefix is this process's worker ID prefix, "host:pid"; workers
// are "host:pid:N", and a foreground syncline run is "host:pid:run".
func WorkerPrefix() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// workerProcess splits a worker ID "host:pid:N" into host and pid; ok is
// false for an ID of another shape.
func workerProcess(worker string) (host string, pid int, ok bool) {
	rest, _, found := cutLast(worker)
	if !found {
		return "", 0, false
	}
	host, pidText, found := cutLast(rest)
	if !found {
		return "", 0, false
	}
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 0 {
		return "", 0, false
	}
	return host, pid, true
}

func cutLast(s string) (before, after string, found bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// deadWorkers returns the isDead function recovery uses: a worker on this
// host whose process no longer exists is dead. With startup set, workers
// of this very process are dead too: at start it has none yet, so a run
// claimed under its host:pid was claimed by an earlier process that had
// the same PID (a restarted container, say).
func deadWorkers(prefix string, startup bool) func(worker string) bool {
	thisHost, thisPID, _ := workerProcess(prefix + ":0")
	return func(worker string) bool {
		host, pid, ok := workerProcess(worker)
		if !ok || host != thisHost {
			return false
		}
		if pid == thisPID {
			return startup && strings.HasPrefix(worker, prefix+":")
		}
		return processGone(pid)
	}
}
