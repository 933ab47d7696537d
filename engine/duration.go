package engine

import (
	"strings"
	"time"
)

// formatDuration writes d as the configuration language does, without
// zero units: "1h", "1m30s", "2s".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
