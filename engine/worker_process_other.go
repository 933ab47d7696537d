//go:build !unix

package engine

// processGone cannot tell on this platform; recovery relies on stale
// heartbeats alone.
func processGone(int) bool { return false }
