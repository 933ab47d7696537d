package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// configSuffix is the file name suffix fmt formats in directories.
const configSuffix = ".hcl"

// fmtTarget formats one command-line argument: "-", a file or a directory.
func (a *app) fmtTarget(target string, opts fmtOptions) fmtResult {
	if target == "-" {
		return a.fmtStdin(opts)
	}
	info, err := os.Stat(target)
	switch {
	case err != nil:
		return a.fmtFailed(fmt.Errorf("no file or directory %q", target))
	case info.IsDir():
		return a.fmtDir(target, opts)
	case !strings.HasSuffix(target, configSuffix):
		return a.fmtFailed(fmt.Errorf("only %s files can be formatted, not %q", configSuffix, target))
	}
	return a.fmtFile(target, opts)
}

func (a *app) fmtDir(dir string, opts fmtOptions) fmtResult {
	files, err := configFiles(dir, opts.recursive)
	if err != nil {
		return a.fmtFailed(err)
	}
	var res fmtResult
	for _, file := range files {
		res.add(a.fmtFile(file, opts))
	}
	return res
}

func (a *app) fmtFailed(err error) fmtResult {
	a.printError(err.Error())
	return fmtResult{failed: true}
}

// configFiles lists the *.hcl files in dir, in lexical order, as paths joined to dir;
// with recursive, also those in subdirectories that are not hidden.
func configFiles(dir string, recursive bool) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && (!recursive || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), configSuffix) && isRegularFile(path) {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// isRegularFile reports whether path is, or links to, a regular file.
func isRegularFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}
