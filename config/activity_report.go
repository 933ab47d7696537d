package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/hcl/v2"
)

// Report sources and formats.
var (
	ReportSources = []string{"users", "shadows", "situations", "summary"}
	ReportFormats = []string{"csv", "json", "html"}
)

// DefaultReportSince is the period a summary covers when since is not set.
const DefaultReportSince = 24 * time.Hour

// ReportColumns are the columns of the sources whose columns are fixed;
// users and shadows also have a column for each attribute.
var ReportColumns = map[string][]string{
	"situations": {"situation", "count"},
	"summary":    {"section", "resource", "item", "count", "detail"},
}

// reportProtectedDirs are directories a report may not write into: the
// default state directory and git's.
var reportProtectedDirs = []string{".syncline", ".git"}

func (c *Config) decodeReport(d *decoder, a *Activity, attrs hcl.Attributes) hcl.Diagnostics {
	r := &ReportSettings{Format: "csv"}
	a.Report = r
	var diags hcl.Diagnostics
	if at, ok := attrs["source"]; ok {
		diags = append(diags, d.enum(at, ReportSources, &r.Source)...)
	}
	if at, ok := attrs["output"]; ok {
		out, known, outDiags := d.knownString(at)
		diags = append(diags, outDiags...)
		if known {
			r.Output = out
			diags = append(diags, checkReportOutputAttr(c.Dir, out, at)...)
		}
	}
	if at, ok := attrs["format"]; ok {
		diags = append(diags, d.enum(at, ReportFormats, &r.Format)...)
	}
	if at, ok := attrs["columns"]; ok {
		diags = append(diags, d.strings(at, &r.Columns)...)
		diags = append(diags, checkReportColumns(r.Source, r.Columns, at)...)
	}
	if at, ok := attrs["since"]; ok {
		diags = append(diags, d.duration(at, &r.Since)...)
	}
	if r.Source == "summary" {
		diags = append(diags, summaryOnly(attrs)...)
		if r.Since == 0 {
			r.Since = DefaultReportSince
		}
		return diags
	}
	if at, ok := attrs["since"]; ok && r.Source != "" {
		diags = append(diags, reportSettingMisplaced(at, "since", "only a summary covers a period (source = \"summary\")"))
	}
	if r.Source != "users" && r.Source != "" && a.Resource == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing resource",
			Detail:   fmt.Sprintf("A report of %s needs resource = resource.NAME.", r.Source),
			Subject:  a.DeclRange.Ptr(),
		})
	}
	if at, ok := attrs["filter"]; ok {
		a.Filter = at.Expr
		diags = append(diags, c.checkConditionIn(d, at.Expr, a.filterPlace())...)
	}
	return diags
}

// summaryOnly rejects the settings a summary does not take: it covers
// every resource and selects nothing.
func summaryOnly(attrs hcl.Attributes) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, name := range []string{"resource", "kind", "intent", "filter"} {
		if at, ok := attrs[name]; ok {
			diags = append(diags, reportSettingMisplaced(at, name, "a summary covers every resource and every object"))
		}
	}
	return diags
}

func reportSettingMisplaced(at *hcl.Attribute, name, why string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unsupported report setting",
		Detail:   fmt.Sprintf("This report does not take %q: %s. Remove it.", name, why),
		Subject:  at.NameRange.Ptr(),
	}
}

// checkReportColumns checks a report's columns: named, each once, and for
// a source with fixed columns one of them.
func checkReportColumns(source string, columns []string, at *hcl.Attribute) hcl.Diagnostics {
	fixed := ReportColumns[source]
	seen := map[string]bool{}
	for _, col := range columns {
		var detail string
		switch {
		case strings.TrimSpace(col) == "":
			detail = "A column name must not be empty."
		case strings.ContainsFunc(col, unicode.IsControl):
			detail = fmt.Sprintf("The column name %q holds a control character.", col)
		case seen[col]:
			detail = fmt.Sprintf("The column %q is listed twice; list each column once.", col)
		case fixed != nil && !contains(fixed, col):
			detail = fmt.Sprintf("A report of %s has the columns %s; %q is not one of them.", source, quoteList(fixed), col)
			if s := suggest(col, fixed); s != "" {
				detail += fmt.Sprintf(" Did you mean %q?", s)
			}
		}
		seen[col] = true
		if detail != "" {
			return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid report column", Detail: detail, Subject: at.Expr.Range().Ptr()}}
		}
	}
	return nil
}

func checkReportOutputAttr(dir, output string, at *hcl.Attribute) hcl.Diagnostics {
	problem := ReportOutputProblem(output)
	if problem == "" {
		problem = reportOutputLinkProblem(dir, output)
	}
	if problem == "" {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid report output",
		Detail:   problem + " Write a path relative to the configuration directory, such as \"reports/users.csv\".",
		Subject:  at.Expr.Range().Ptr(),
	}}
}

// ReportOutputProblem checks, without touching the disk, that a report's
// output names a file inside the configuration directory: relative, with
// no ".." that leaves it, not in .syncline or .git, and not a
// configuration file. It returns what is wrong as a sentence, or "". The
// engine checks it again at run time, and writes through os.Root so that
// no symbolic link leads outside either.
func ReportOutputProblem(output string) string {
	clean := filepath.Clean(output)
	switch {
	case output == "":
		return "The output is empty."
	case strings.ContainsFunc(output, unicode.IsControl):
		return fmt.Sprintf("The output %q holds a control character.", output)
	case filepath.IsAbs(output) || strings.HasPrefix(output, "/") || strings.HasPrefix(output, `\`):
		return fmt.Sprintf("The output %q is an absolute path; reports are written inside the configuration directory only.", output)
	case !filepath.IsLocal(output):
		return fmt.Sprintf("The output %q leaves the configuration directory; reports are written inside it only.", output)
	case clean == "." || strings.HasSuffix(output, "/") || strings.HasSuffix(output, `\`):
		return fmt.Sprintf("The output %q names a directory, not a file.", output)
	case strings.HasSuffix(clean, ConfigFileSuffix):
		return fmt.Sprintf("The output %q would be read as a configuration file (it ends in %s).", output, ConfigFileSuffix)
	}
	first := strings.Split(filepath.ToSlash(clean), "/")[0]
	if contains(reportProtectedDirs, first) {
		return fmt.Sprintf("The output %q is inside %s, which Syncline and git keep for themselves.", output, first)
	}
	return ""
}

// reportOutputLinkProblem checks that the output's directory, when it
// exists, does not lead outside dir through a symbolic link. It checks
// nothing when dir is not a directory on disk (a git revision): the run
// refuses such a link anyway.
func reportOutputLinkProblem(dir, output string) string {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return ""
	}
	defer root.Close()
	_, err = root.Stat(filepath.Dir(filepath.Clean(output)))
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	return fmt.Sprintf("The output %q cannot be written inside the configuration directory: %v (a symbolic link that leads outside it?).", output, errors.Unwrap(err))
}
