//go:build !unix

package engine

import "os/exec"

// killGroup leaves the default: the command's own process is killed.
func killGroup(*exec.Cmd) {}
