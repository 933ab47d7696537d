//go:build !unix

package procgroup

import "errors"

func startTime(int) uint64 { return 0 }

// alive is false: groups are not tracked on this system.
func alive(Group) bool { return false }

func kill(Group) error { return errors.New("process groups are not supported on this system") }
