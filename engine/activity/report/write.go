package report

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// writeAtomic writes body to output inside dir: a temporary file in the
// output's directory, synced, then renamed over the output, so a reader
// sees the old report or the new one and never half of one. Everything
// goes through os.Root on dir, so no "..", absolute path or symbolic link
// reaches outside it; the directories of output are created as needed.
func writeAtomic(dir, output string, body []byte) (err error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("report: open the configuration directory: %w", err)
	}
	defer root.Close()
	output = filepath.Clean(output)
	if parent := filepath.Dir(output); parent != "." {
		if err := root.MkdirAll(parent, 0o755); err != nil {
			return fmt.Errorf("report: create the directory of %s: %w", output, err)
		}
	}
	tmp := filepath.Join(filepath.Dir(output), "."+filepath.Base(output)+"."+randomSuffix()+".tmp")
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("report: write %s: %w", output, err)
	}
	defer func() {
		if err != nil {
			_ = root.Remove(tmp)
		}
	}()
	if err := writeAndClose(f, body); err != nil {
		return fmt.Errorf("report: write %s: %w", output, err)
	}
	if err := root.Rename(tmp, output); err != nil {
		return fmt.Errorf("report: write %s: %w", output, err)
	}
	return nil
}

func writeAndClose(f *os.File, body []byte) error {
	_, err := f.Write(body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
