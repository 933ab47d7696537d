package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// reportFormatVersion changes when the JSON report changes incompatibly.
const reportFormatVersion = 1

// report is the whole benchmark's result; the text and the JSON output
// are two views of it.
type report struct {
	FormatVersion int            `json:"format_version"`
	Rows          int            `json:"rows"`
	Threads       int            `json:"threads"`
	Machine       machine        `json:"machine"`
	Phases        []*phaseReport `json:"phases"`
	Baseline      baseline       `json:"baseline"`
	// ProvisionBaselines are the bare writes of the provisioning phases'
	// account rows (provisionBaselines), each beside its phase.
	ProvisionBaselines []*phaseReport `json:"provision_baselines"`
	Targets            []target       `json:"targets"`
	Problems           []string       `json:"problems"`
}

// phaseReport is a phase's result with the figures the report shows.
type phaseReport struct {
	Title string `json:"title"`
	// Target is the database a provisioning phase or baseline wrote
	// accounts to: "sqlite" or "postgres".
	Target string `json:"target,omitempty"`
	phaseResult
	ObjectsPerSecond  float64 `json:"objects_per_second"`
	AccountsPerSecond float64 `json:"accounts_per_second,omitempty"`
	// PeakRSSMB is nil where the system does not tell.
	PeakRSSMB *float64 `json:"peak_rss_mb"`
}

func newPhaseReport(title, target string, res *phaseResult) *phaseReport {
	p := &phaseReport{Title: title, Target: target, phaseResult: *res}
	if res.Seconds > 0 {
		p.ObjectsPerSecond = float64(res.Objects) / res.Seconds
		p.AccountsPerSecond = float64(res.Accounts) / res.Seconds
	}
	if res.PeakRSSBytes > 0 {
		p.PeakRSSMB = ptr(float64(res.PeakRSSBytes) / (1 << 20))
	}
	return p
}

func (r *report) phase(name string) *phaseReport {
	for _, p := range r.Phases {
		if p.Phase == name {
			return p
		}
	}
	return nil
}

// peakRSSMB is the largest peak of the phases; ok is false when a phase
// did not report one.
func (r *report) peakRSSMB() (peak float64, ok bool) {
	for _, p := range r.Phases {
		if p.PeakRSSMB == nil {
			return 0, false
		}
		peak = max(peak, *p.PeakRSSMB)
	}
	return peak, len(r.Phases) > 0
}

func (r *report) write(w io.Writer, asJSON bool) error {
	if asJSON {
		if r.Problems == nil {
			r.Problems = []string{}
		}
		if r.ProvisionBaselines == nil {
			r.ProvisionBaselines = []*phaseReport{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var b strings.Builder
	r.writeText(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *report) writeText(b *strings.Builder) {
	m := r.Machine
	cpu := m.CPUModel
	if cpu == "" {
		cpu = "CPU model unknown"
	}
	fmt.Fprintf(b, "synchronization of %s rows, threads = %d\n", thousands(int64(r.Rows)), r.Threads)
	fmt.Fprintf(b, "machine: %d CPUs, %s, %s/%s, %s", m.CPUs, cpu, m.OS, m.Arch, m.GoVersion)
	if m.LoadBefore != "" {
		fmt.Fprintf(b, ", load average %s before, %s after", m.LoadBefore, m.LoadAfter)
	}
	b.WriteString("\n\n")
	width := len("phase")
	for _, p := range r.Phases {
		width = max(width, len(p.Title))
	}
	fmt.Fprintf(b, "%-*s  %10s  %8s  %10s  %11s  %6s\n", width, "phase", "objects", "seconds", "objects/s", "peak RSS MB", "CPU s")
	for _, p := range r.Phases {
		rss := "n/a"
		if p.PeakRSSMB != nil {
			rss = strconv.FormatFloat(*p.PeakRSSMB, 'f', 0, 64)
		}
		fmt.Fprintf(b, "%-*s  %10s  %8.2f  %10s  %11s  %6.2f\n", width, p.Title, thousands(p.Objects), p.Seconds,
			thousands(int64(p.ObjectsPerSecond+0.5)), rss, p.CPUSeconds)
	}
	b.WriteString("\n")
	r.Baseline.writeText(b)
	r.writeProvisionText(b)
	fmt.Fprintf(b, "targets (issues 6 and 15 for 1,000,000 rows, issue 15 for provisioning 100,000, issue 20 for the PostgreSQL state, on 2 vCPUs):\n")
	width = 0
	for _, t := range r.Targets {
		width = max(width, len(t.Name))
	}
	for _, t := range r.Targets {
		fmt.Fprintf(b, "  %-*s  %-20s %s\n", width, t.Name, t.Want, t.verdict())
	}
}

// writeProvisionText writes the provisioning phases beside their
// baselines, in accounts.
func (r *report) writeProvisionText(b *strings.Builder) {
	var rows []*phaseReport
	for _, p := range r.Phases {
		if p.Target != "" {
			rows = append(rows, p)
			for _, bl := range r.ProvisionBaselines {
				if bl.Target == p.Target {
					rows = append(rows, bl)
				}
			}
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("\nprovisioning: an account for every active user, beside bare writes of the same rows into the same kind of table\n")
	width := len("writer")
	title := func(p *phaseReport) string { return strings.TrimSuffix(p.Title, " to "+targetName(p.Target)) }
	for _, p := range rows {
		width = max(width, len(title(p)))
	}
	fmt.Fprintf(b, "%-10s  %-*s  %8s  %8s  %10s  %11s\n", "target", width, "writer", "accounts", "seconds", "accounts/s", "peak RSS MB")
	for _, p := range rows {
		rss := "n/a"
		if p.PeakRSSMB != nil {
			rss = strconv.FormatFloat(*p.PeakRSSMB, 'f', 0, 64)
		}
		fmt.Fprintf(b, "%-10s  %-*s  %8s  %8.2f  %10s  %11s\n", targetName(p.Target), width, title(p), thousands(p.Accounts), p.Seconds,
			thousands(int64(p.AccountsPerSecond+0.5)), rss)
	}
	b.WriteString("\n")
}

func (bl baseline) writeText(b *strings.Builder) {
	if bl.Skipped != "" {
		fmt.Fprintf(b, "baseline: skipped: %s\n", bl.Skipped)
		return
	}
	fmt.Fprintf(b, "baseline: %s .import of the same CSV into a plain table: %s rows in %.2f s = %s rows/s\n",
		bl.Tool, thousands(bl.Rows), bl.Seconds, thousands(int64(bl.RowsPerSecond+0.5)))
}

func (t target) verdict() string {
	if t.Met == nil {
		return "n/a"
	}
	got := thousands(int64(t.Value+0.5)) + " " + t.Unit
	if *t.Met {
		return "met (" + got + ")"
	}
	return "MISSED (" + got + ")"
}

// thousands formats n with commas: 1,000,000.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
