// Package atomicfile writes files so that a reader sees either the old
// contents or the new, never a partial file: Replace rewrites an existing
// file (keeping its permissions, and a symbolic link a link), Create also
// makes one that does not exist yet.
//
// Neighbours: cmd/syncline's fmt rewrites configuration files with
// Replace; engine/ops saves plan files with Create.
package atomicfile
