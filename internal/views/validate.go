package views

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
)

// ValidateResult is the -json output of validate.
type ValidateResult struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []JSONDiagnostic `json:"diagnostics"`
}

// validateFormatVersion is bumped in its minor part for additions and in its
// major part for changes that break readers.
const validateFormatVersion = "1.0"

// WriteValidateJSON writes the -json output of validate: the result and
// its diagnostics, in the shape of "terraform validate -json".
func WriteValidateJSON(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	result := ValidateResult{
		FormatVersion: validateFormatVersion,
		Valid:         !diags.HasErrors(),
		Diagnostics:   JSONDiagnostics(files, diags),
	}
	for _, diag := range diags {
		switch diag.Severity {
		case hcl.DiagError:
			result.ErrorCount++
		case hcl.DiagWarning:
			result.WarningCount++
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(result)
}

// ValidateHuman writes the text result of validate: the diagnostics and,
// when there is no error, the revision read (nil: a directory on disk)
// and the success line.
func ValidateHuman(s Streams, colorFor func(io.Writer) Color, files map[string]*hcl.File, rev *config.Revision, diags hcl.Diagnostics) {
	ShowDiagnostics(s, colorFor, files, diags)
	if diags.HasErrors() {
		return
	}
	if rev != nil {
		fmt.Fprintln(s.Stdout, RevisionLine(rev))
	}
	c := colorFor(s.Stdout)
	fmt.Fprintf(s.Stdout, "%s The configuration is valid.\n", c.Paint("Success!", Bold, Green))
}
