package state

import (
	"os"
	"os/user"
	"time"

	"github.com/google/uuid"
)

// newLockInfo describes a lock this process is about to take.
func newLockInfo(operation string, now time.Time) *LockInfo {
	return &LockInfo{
		ID:        uuid.NewString(),
		Operation: operation,
		Holder:    OSUser(),
		Host:      hostname(),
		PID:       os.Getpid(),
		Since:     now.UTC(),
	}
}

// newLockedError reports held, saying whether its holder is known to be
// gone: it ran on this host and its process no longer exists.
func newLockedError(held LockInfo) *LockedError {
	gone := held.Host == hostname() && held.PID != os.Getpid() && processGone(held.PID)
	return &LockedError{Holder: held, HolderGone: gone}
}

// OSUser names the operating-system user running this process, for lock
// holders and the apply history.
func OSUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if name := os.Getenv("USER"); name != "" {
		return name
	}
	return "unknown"
}

func hostname() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "unknown"
}
