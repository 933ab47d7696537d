//go:build !unix

package exec

import osexec "os/exec"

// killGroup leaves the default: the command's own process is killed.
func killGroup(*osexec.Cmd) {}
