package config

import (
	"io/fs"
	"os"
)

// rootFS is a directory read through os.Root, so that no name — however
// many "..", absolute parts or symbolic links it holds — reaches outside it.
// Each call opens the root afresh, which keeps the FS usable for as long as
// the Config lives without holding a directory open.
type rootFS string

func (d rootFS) Open(name string) (fs.File, error) {
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.Open(name)
}

func (d rootFS) ReadFile(name string) ([]byte, error) {
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.ReadFile(name)
}

func (d rootFS) Stat(name string) (fs.FileInfo, error) {
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.Stat(name)
}
