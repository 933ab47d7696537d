package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
)

// atomicFile is the temporary file a rewrite writes, in the same directory
// as the file it replaces so that the final rename is atomic.
type atomicFile struct {
	f         *os.File
	w         *bufio.Writer
	rec       bytes.Buffer // one encoded record
	cw        *csv.Writer  // encodes into rec
	crlf      bool         // end records with "\r\n"
	path      string       // the file to replace
	committed bool
}

// createTemp starts a rewrite of path.
func createTemp(path string, delim rune, crlf bool) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	f, err := os.CreateTemp(dir, "."+base+".syncline-*")
	if err != nil {
		return nil, err
	}
	a := &atomicFile{f: f, w: bufio.NewWriterSize(f, 64<<10), crlf: crlf, path: path}
	a.cw = csv.NewWriter(&a.rec)
	a.cw.Comma = delim
	return a, nil
}

// copyRaw copies bytes [from, to) of src unchanged.
func (a *atomicFile) copyRaw(src io.ReaderAt, from, to int64) error {
	if to <= from {
		return nil
	}
	_, err := io.Copy(a.w, io.NewSectionReader(src, from, to-from))
	return err
}

// writeRecord writes one record, encoded as encoding/csv does. The line
// ending is written here rather than by csv.Writer's UseCRLF, which would
// also turn "\n" inside values into "\r\n" and drop a lone "\r".
func (a *atomicFile) writeRecord(rec []string) error {
	a.rec.Reset()
	a.cw.Write(rec)
	a.cw.Flush()
	if err := a.cw.Error(); err != nil {
		return err
	}
	line := bytes.TrimSuffix(a.rec.Bytes(), []byte{'\n'})
	if _, err := a.w.Write(line); err != nil {
		return err
	}
	return a.newline()
}

// newline writes a line ending.
func (a *atomicFile) newline() error {
	if a.crlf {
		_, err := a.w.WriteString("\r\n")
		return err
	}
	return a.w.WriteByte('\n')
}

// commit flushes and syncs the temporary file, gives it perm and renames it
// over the original, then syncs the directory so the rename is durable.
func (a *atomicFile) commit(perm os.FileMode) error {
	for _, step := range []func() error{a.w.Flush, a.f.Sync, func() error { return a.f.Chmod(perm) }, a.f.Close} {
		if err := step(); err != nil {
			return err
		}
	}
	if err := os.Rename(a.f.Name(), a.path); err != nil {
		return err
	}
	a.committed = true
	return syncDir(filepath.Dir(a.path))
}

// abort removes the temporary file unless it was committed.
func (a *atomicFile) abort() {
	if !a.committed {
		a.f.Close()
		os.Remove(a.f.Name())
	}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
