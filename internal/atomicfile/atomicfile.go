package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Replace replaces the contents of the existing file path with data
// so that readers see either the old or the new contents, never a partial
// file: data goes to a temporary file in the same directory, which is then
// renamed over the original. The file keeps its permission bits, and a
// symbolic link stays a link (its target is replaced).
func Replace(path string, data []byte) (err error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	return replaceFile(path, target, data, info.Mode().Perm())
}

// Create writes data to path atomically, creating the file with
// perm when it does not exist.
func Create(path string, data []byte, perm os.FileMode) error {
	if _, err := os.Lstat(path); err == nil {
		return Replace(path, data)
	}
	return replaceFile(path, path, data, perm)
}

// replaceFile writes data to a temporary file beside target and renames it
// over target; path is the name used in errors.
func replaceFile(path, target string, data []byte, perm os.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), target)
}
