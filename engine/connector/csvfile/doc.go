// Package csvfile is the csv connector: a resource that is one CSV file,
// one object per row, identified by one column.
//
// Reading streams the file through encoding/csv (strict quoting, a fixed
// number of fields per row, UTF-8 with or without a byte-order mark): a
// row that cannot be read is an error for that row only, with its line
// number, and the search goes on. Duplicate identifiers are found with a
// small index of identifier hashes (8 bytes per row, no row is held) and
// reported naming both lines.
//
// Writing rewrites the file atomically: the rows are streamed into a
// temporary file in the same directory, untouched rows copied byte for byte
// (so their quoting and line endings stay as they were), the changed row
// re-encoded in the file's column order; then the temporary file is synced
// and renamed over the original. A write that fails, or finds the file
// changed or malformed, leaves the original untouched.
//
// The change feed compares the file with a snapshot of its row hashes kept
// in the caller's state directory; the token names the snapshot.
//
// Neighbours: engine/connector defines the contract and the error kinds;
// connectortest is the conformance suite this package runs.
package csvfile
