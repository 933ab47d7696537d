package connector

import "github.com/syncline/syncline/config"

// DataFilesFunc is an optional capability of a connector's registration:
// it names the local files a resource's data lives in, given the
// resource's settings, without opening the resource (opening a database
// connects to it). A relative path is resolved against opts.BaseDir; a
// file need not exist. It returns nil when the settings name no file.
//
// `syncline up -watch` follows these files: a saved change to one starts
// a round, and their contents are part of the fingerprints of the tasks
// that use the resource. Name only files the resource is read from that
// a person edits; a file the runs write as the resource's main store (a
// sqlite database) would re-run every task after every run.
type DataFilesFunc func(res *config.Resource, opts Options) []string

// DataFilesRegistry maps connector names to their DataFilesFunc; a
// connector that is not in it keeps its data elsewhere (a database
// server, a directory).
type DataFilesRegistry map[string]DataFilesFunc

// DataFiles are the local files res's data lives in, as its connector
// says, or nil when its connector has no such capability.
func (r DataFilesRegistry) DataFiles(res *config.Resource, opts Options) []string {
	if f, ok := r[res.Connector]; ok && f != nil {
		return f(res, opts)
	}
	return nil
}
