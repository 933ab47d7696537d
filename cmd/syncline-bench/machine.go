package main

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// machine is what the figures were measured on.
type machine struct {
	CPUs      int    `json:"cpus"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	CPUModel  string `json:"cpu_model"` // "" where /proc/cpuinfo does not tell
	GoVersion string `json:"go_version"`
	// LoadBefore and LoadAfter are the one-minute load averages when the
	// benchmark started and ended ("" where /proc/loadavg does not
	// exist): above the number of CPUs, other work competed for them.
	LoadBefore string `json:"load_before,omitempty"`
	LoadAfter  string `json:"load_after,omitempty"`
}

func thisMachine() machine {
	return machine{
		CPUs: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH,
		CPUModel: cpuModel(), GoVersion: runtime.Version(), LoadBefore: loadAverage(),
	}
}

// loadAverage returns the one-minute load average (Linux).
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) > 0 {
		return f[0]
	}
	return ""
}

// cpuModel returns the first "model name" of /proc/cpuinfo (Linux).
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	return procField(data, "model name")
}

// peakRSS returns the process's peak resident set size (VmHWM); ok is
// false where /proc/self/status does not exist.
func peakRSS() (n int64, ok bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(procField(data, "VmHWM")) // "123456 kB"
	if len(f) != 2 || f[1] != "kB" {
		return 0, false
	}
	kb, err := strconv.ParseInt(f[0], 10, 64)
	return kb << 10, err == nil
}

// procField returns the value of the first "key: value" line of a /proc
// file whose key is name.
func procField(data []byte, name string) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
