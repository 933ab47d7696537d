package scenario

import (
	"os"
	"path/filepath"
)

// Write writes files (from Files) into dir.
func Write(dir string, files map[string]string) error {
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}
