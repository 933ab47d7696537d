package csvfile

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// A snapshot is what the change feed remembers of the file: every row's
// identifier and a hash of its fields, sorted by identifier. It is stored
// in the state directory under a name derived from its content, which the
// token carries:
//
//	magic line, then per row: uvarint(len(id)) id hash[16]
const snapshotMagic = "syncline csv snapshot 1\n"

// tokenPrefix starts every csv change token.
const tokenPrefix = "csv1:"

// entry is one row in a snapshot.
type entry struct {
	id   string
	hash rowDigest
}

type rowDigest [16]byte

// digestRow hashes a row's fields, each length-prefixed so that moving a
// character from one field to the next changes the hash.
func digestRow(h hash.Hash, fields []string) rowDigest {
	h.Reset()
	var n [binary.MaxVarintLen64]byte
	for _, f := range fields {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		io.WriteString(h, f)
	}
	var d rowDigest
	copy(d[:], h.Sum(nil))
	return d
}

// snapshotStore keeps one resource's snapshots in a directory.
type snapshotStore struct {
	dir      string
	resource string
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]`)

func (s snapshotStore) prefix() string {
	return "csv-" + unsafeName.ReplaceAllString(s.resource, "_") + "-"
}

// path returns the file of the snapshot a token names, or an error for a
// token that is not a csv token.
func (s snapshotStore) path(token string) (string, error) {
	digest, ok := strings.CutPrefix(token, tokenPrefix)
	if _, err := hex.DecodeString(digest); !ok || err != nil || len(digest) != 32 {
		return "", fmt.Errorf("%q is not a csv change token", token)
	}
	return filepath.Join(s.dir, s.prefix()+digest+".snapshot"), nil
}

// write stores entries (sorted by id) and returns the token naming them.
func (s snapshotStore) write(entries []entry) (string, error) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(s.dir, ".snapshot-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	sum := sha256.New()
	w := bufio.NewWriterSize(io.MultiWriter(tmp, sum), 64<<10)
	w.WriteString(snapshotMagic)
	var n [binary.MaxVarintLen64]byte
	for _, e := range entries {
		w.Write(n[:binary.PutUvarint(n[:], uint64(len(e.id)))])
		w.WriteString(e.id)
		w.Write(e.hash[:])
	}
	if err := errors.Join(w.Flush(), tmp.Sync(), tmp.Close()); err != nil {
		return "", err
	}
	token := tokenPrefix + hex.EncodeToString(sum.Sum(nil)[:16])
	path, _ := s.path(token)
	return token, os.Rename(tmp.Name(), path)
}

// read streams the entries of the snapshot at path to fn.
func (s snapshotStore) read(path string, fn func(entry) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	magic := make([]byte, len(snapshotMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != snapshotMagic {
		return fmt.Errorf("%s is not a csv snapshot", filepath.Base(path))
	}
	for {
		e, err := readEntry(r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("snapshot %s is damaged: %w", filepath.Base(path), err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}

func readEntry(r *bufio.Reader) (entry, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return entry{}, err // io.EOF at a clean end
	}
	if n > 1<<20 {
		return entry{}, fmt.Errorf("identifier of %d bytes", n)
	}
	buf := make([]byte, int(n)+len(rowDigest{}))
	if _, err := io.ReadFull(r, buf); err != nil {
		return entry{}, io.ErrUnexpectedEOF
	}
	e := entry{id: string(buf[:n])}
	copy(e.hash[:], buf[n:])
	return e, nil
}

// prune removes this resource's snapshots other than those named by keep:
// a caller that passed a token has committed it, so older ones are never
// asked for again.
func (s snapshotStore) prune(keep ...string) {
	// 32 hex digits exactly, so that resource "hr" never matches the
	// snapshots of resource "hr-x".
	names, _ := filepath.Glob(filepath.Join(s.dir, s.prefix()+strings.Repeat("[0-9a-f]", 32)+".snapshot"))
	for _, name := range names {
		kept := false
		for _, tok := range keep {
			if p, err := s.path(tok); err == nil && p == name {
				kept = true
			}
		}
		if !kept {
			os.Remove(name)
		}
	}
}
