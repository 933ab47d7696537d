package runner

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/syncline/syncline/state"
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

// judgeWorkers returns how recovery judges a run's worker: one on this
// host whose process no longer exists is dead; this very process's own
// workers are alive, so its runs are never recovered for a late
// heartbeat (a paused process or a clock that jumped is not a dead one);
// any other — on another host, where a process cannot be looked for — is
// judged by its heartbeat. With startup set, workers of this very process
// are dead instead: at start it has none yet, so a run claimed under its
// host:pid was claimed by an earlier process that had the same PID (a
// restarted container, say).
func judgeWorkers(prefix string, startup bool) func(worker string) state.WorkerState {
	thisHost, thisPID, _ := workerProcess(prefix + ":0")
	return func(worker string) state.WorkerState {
		host, pid, ok := workerProcess(worker)
		switch {
		case !ok || host != thisHost:
			return state.WorkerUnknown
		case pid == thisPID && strings.HasPrefix(worker, prefix+":"):
			if startup {
				return state.WorkerDead
			}
			return state.WorkerAlive
		case pid == thisPID:
			return state.WorkerUnknown
		case processGone(pid):
			return state.WorkerDead
		}
		return state.WorkerUnknown
	}
}
