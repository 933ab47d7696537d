package procgroup

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// startTime is when process pid started, in clock ticks since boot; 0
// when it cannot be read.
func startTime(pid int) uint64 {
	m, ok := readStat(strconv.Itoa(pid))
	if !ok {
		return 0
	}
	return m.start
}

// alive looks for a running process of g in /proc. A zombie is dead: in a
// container whose init never reaps orphans, a killed command stays one
// forever. A leader with another start time means the ID was reused.
func alive(g Group) bool {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return false
	}
	found := false
	for _, e := range entries {
		m, ok := readStat(e.Name())
		if !ok || m.pgrp != g.ID || m.state == 'Z' || m.state == 'X' {
			continue
		}
		if g.Start != 0 && (m.start < g.Start || (m.pid == g.ID && m.start != g.Start)) {
			return false // another group now has this ID
		}
		found = true
	}
	return found
}

func kill(g Group) error { return syscall.Kill(-g.ID, syscall.SIGKILL) }

// stat is the part of /proc/PID/stat this package reads.
type stat struct {
	pid   int
	state byte
	pgrp  int
	start uint64 // clock ticks since boot
}

// readStat reads /proc/NAME/stat; ok is false for an entry that is not a
// process or has gone.
func readStat(name string) (stat, bool) {
	pid, err := strconv.Atoi(name)
	if err != nil {
		return stat{}, false
	}
	data, err := os.ReadFile("/proc/" + name + "/stat")
	if err != nil {
		return stat{}, false
	}
	// "PID (COMM) STATE PPID PGRP … STARTTIME …": COMM may hold spaces and
	// parentheses, so the fields start after the last ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return stat{}, false
	}
	f := bytes.Fields(data[i+1:])
	if len(f) < 20 || len(f[0]) != 1 {
		return stat{}, false
	}
	pgrp, err1 := strconv.Atoi(string(f[2]))
	start, err2 := strconv.ParseUint(string(f[19]), 10, 64)
	if err1 != nil || err2 != nil {
		return stat{}, false
	}
	return stat{pid: pid, state: f[0][0], pgrp: pgrp, start: start}, true
}
