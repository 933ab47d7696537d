package ops

import (
	"path/filepath"
	"strings"

	"github.com/syncline/syncline/config"
)

// StateLocation decides where the store is: flag (the -state option)
// wins, then the syncline block's state setting (relative to the
// configuration directory dir), then the default beside the configuration.
func StateLocation(flag, dir string, settings *config.Settings) string {
	if flag != "" {
		return flag
	}
	loc := config.DefaultState
	if settings != nil && settings.State != "" {
		loc = settings.State
	}
	if scheme, _, ok := strings.Cut(loc, "://"); ok && scheme != "sqlite" {
		return loc // postgres:// and the like are not paths
	}
	path := strings.TrimPrefix(loc, "sqlite://")
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	return path
}
