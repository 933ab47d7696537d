//go:build !unix

package runner

// processGone cannot tell on this platform; recovery relies on stale
// heartbeats alone.
func processGone(int) bool { return false }
