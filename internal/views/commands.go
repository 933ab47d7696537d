package views

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
)

// The small views of the commands that print a line or two.

// WriteError writes "Error: MSG" on w, "Error:" painted bold red, for an
// error that has no source location.
func WriteError(w io.Writer, c Color, msg string) {
	fmt.Fprintf(w, "%s %s\n", c.Paint("Error:", Bold, Red), msg)
}

// WriteUsageError writes a command-line usage error (its text already
// says how to get help) on w.
func WriteUsageError(w io.Writer, msg string) {
	fmt.Fprintln(w, msg)
}

// Initialized writes what syncline init did to the store at path.
func Initialized(w io.Writer, path, lineage string, created bool) {
	if created {
		fmt.Fprintf(w, "Initialized the state store %s (lineage %s).\n", path, lineage)
	} else {
		fmt.Fprintf(w, "The state store %s is already initialized (lineage %s).\n", path, lineage)
	}
}

// Serving writes that syncline serve schedules the tasks applied to
// location and, when addr is not nil, where its push webhook listens.
func Serving(w io.Writer, location string) {
	fmt.Fprintf(w, "syncline serve: scheduling the tasks applied to %s; press Ctrl-C to stop.\n", location)
}

// ConsoleListening writes where serve's console, API and metrics listen.
func ConsoleListening(w io.Writer, addr net.Addr) {
	fmt.Fprintf(w, "syncline serve: console listening on http://%s/\n", addr)
}

// WebhookListening writes where serve's push webhook listens.
func WebhookListening(w io.Writer, addr net.Addr) {
	fmt.Fprintf(w, "syncline serve: webhook listening on http://%s/hooks/git\n", addr)
}

// PlanFileUnauthenticated warns on w that a plan file shown could not be
// authenticated because its state could not be read.
func PlanFileUnauthenticated(w io.Writer, location string, err error) {
	fmt.Fprintf(w, "Warning: the plan file is not authenticated: its state %s cannot be read (%v).\n\n", location, err)
}

// VersionInfo is what syncline version prints; its JSON form is the
// -json output.
type VersionInfo struct {
	Version   string `json:"version"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

// WriteVersion writes info as two lines, or as indented JSON.
func WriteVersion(w io.Writer, info VersionInfo, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(info)
	}
	_, err := fmt.Fprintf(w, "syncline %s\n%s %s\n", info.Version, info.GoVersion, info.Platform)
	return err
}

// FormattedFile lists a file syncline fmt changed (or would change).
func FormattedFile(w io.Writer, path string) {
	fmt.Fprintln(w, path)
}

// ShellWord is s as one word of a command line for sh: as it is when it
// needs no quoting, else in single quotes.
func ShellWord(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./-+:@", r)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}
