package main

import (
	"encoding/json"
	"io"

	"github.com/hashicorp/hcl/v2"
)

// validateResult is the -json output of validate.
type validateResult struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []jsonDiagnostic `json:"diagnostics"`
}

// validateFormatVersion is bumped in its minor part for additions and in its
// major part for changes that break readers.
const validateFormatVersion = "1.0"

func writeValidateJSON(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	result := validateResult{
		FormatVersion: validateFormatVersion,
		Valid:         !diags.HasErrors(),
		Diagnostics:   jsonDiagnostics(files, diags),
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
