// Package watch is the file-watching service behind syncline watch and
// syncline up -watch: it follows the directories of a set of files with
// fsnotify, debounces the events an editor's save makes (often a write to
// a temporary file renamed over the original), and starts a round when a
// watched file's content changed.
//
// Files are of two kinds (Files): configuration files, which a round
// never writes, so a change made while a round runs starts the next one;
// and data files (a csv resource's file), which a round's runs may write
// themselves, so they count as seen as they are when the round ends and a
// run's own writes never start another round.
//
// Neighbours: cmd/syncline wires it to the plan (watch) and to
// engine/ops.UpRound (up -watch); engine/connector's DataFiles capability
// says which data files a resource reads.
package watch
