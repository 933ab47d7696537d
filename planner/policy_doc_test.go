package planner

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/internal/plantest"
)

// gitopsDocPath is the page whose policy example TestGitopsPolicyExample
// keeps true.
const gitopsDocPath = "../docs/gitops.md"

// policyHeading heads the section with the jq program and its sample
// output.
const policyHeading = "### A policy check on the plan"

// TestGitopsPolicyExample runs the jq program docs/gitops.md gives a CI job
// against real JSON plans: the golden scenarios and a few more, each with
// the findings it must print (none: it passes). The sample output printed
// in the page is the update scenario's.
func TestGitopsPolicyExample(t *testing.T) {
	t.Parallel()
	jq, err := exec.LookPath("jq")
	if err != nil {
		t.Skip("jq is not installed, so the policy example in docs/gitops.md is not tested; install jq (apt-get install jq) to test it")
	}
	program, sample := policyExample(t)
	programFile := filepath.Join(t.TempDir(), "plan-policy.jq")
	if err := os.WriteFile(programFile, []byte(program), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range policyCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := runPolicy(t, jq, programFile, tt.plan)
			if got != tt.want {
				t.Errorf("the policy printed\n%s\nwant\n%s", got, tt.want)
			}
			if tt.name == "update" && got != sample {
				t.Errorf("docs/gitops.md shows\n%s\nbut the policy prints, on the update scenario,\n%s", sample, got)
			}
		})
	}
}

type policyCase struct {
	name string
	plan *Plan
	want string // the findings, one "policy: …" line each; "" when the plan passes
}

// policyCases are the golden scenarios and plans that the policy must let
// pass or stop: a raised threshold, a task created in mode "full", an
// activity removed with its thresholds, a task leaving "full".
func policyCases(t *testing.T) []policyCase {
	findings := map[string]string{
		"update": `policy: resource.legacy: the resource is deleted
policy: task.app-reconcile: mode changes from "preview" to "full"
policy: task.app-reconcile: activity[0].thresholds.max_deletions is removed (was 25)
`,
		"destroy_guard": "policy: resource.app: the resource is replaced\n",
	}
	var cases []policyCase
	for _, s := range plantest.Scenarios() {
		cases = append(cases, policyCase{s.Name, scenarioPlan(t, s), findings[s.Name]})
	}
	base := plantest.BaseFiles
	twoActivities := plantest.Edit(t, base, "tasks.hcl", `      max_deletions = 25
    }
  }`, `      max_deletions = 25
    }
  }
  activity "reconciliation" {
    name     = "hr"
    resource = resource.hr
    thresholds {
      max_disables = 5
    }
  }`)
	edited := func(name string, before, after map[string]string, want string) policyCase {
		snap := snapshotOf(mustDesired(t, before, plantest.SecretVar), 7)
		return policyCase{name, mustCompute(t, mustDesired(t, after, plantest.SecretVar), snap, Options{}), want}
	}
	cases = append(cases,
		edited("raised threshold", base, plantest.Edit(t, base, "tasks.hcl", "max_deletions = 25", "max_deletions = 500"),
			"policy: task.app-reconcile: activity[0].thresholds.max_deletions is raised from 25 to 500\n"),
		edited("lowered threshold", base, plantest.Edit(t, base, "tasks.hcl", "max_deletions = 25", "max_deletions = 5"), ""),
		edited("threshold set to no limit", base, plantest.Edit(t, base, "tasks.hcl", "max_deletions = 25", "max_deletions = 0"),
			"policy: task.app-reconcile: activity[0].thresholds.max_deletions is removed (was 25)\n"),
		edited("activity removed with its thresholds", twoActivities, base, ""),
		edited("task created in full mode", base, plantest.Edit(t, base, "tasks.hcl", `task "hr-import" {`, `task "new" {
  mode = "full"
  activity "propagation" {}
}

task "hr-import" {`), ""),
		edited("task leaves full mode", plantest.Edit(t, base, "tasks.hcl", `mode  = "preview"`, `mode  = "full"`), base, ""),
	)
	return cases
}

// runPolicy runs the program on p's JSON as the page says a CI job does,
// and returns what it printed; it fails the test when the exit status does
// not match (1 with findings, 0 without).
func runPolicy(t *testing.T, jq, program string, p *Plan) string {
	t.Helper()
	planFile := filepath.Join(t.TempDir(), "plan.json")
	var buf bytes.Buffer
	if err := RenderJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(planFile, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), jq, "-f", program, planFile)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil && stderr.Len() == 0 && stdout.Len() == 0:
	case errors.As(err, &exit) && exit.ExitCode() == 1 && stdout.Len() == 0:
	default:
		t.Fatalf("jq: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	return stderr.String()
}

// policyExample returns the jq program and the sample output in the
// section policyHeading of docs/gitops.md: its first jq and text blocks.
func policyExample(t *testing.T) (program, sample string) {
	t.Helper()
	data, err := os.ReadFile(gitopsDocPath)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n"+policyHeading+"\n")
	if !ok {
		t.Fatalf("%s has no section %q", gitopsDocPath, policyHeading)
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	program, sample = fencedBlock(section, "jq"), fencedBlock(section, "text")
	if program == "" || sample == "" {
		t.Fatalf("the section %q of %s needs a ```jq block with the program and a ```text block with its output", policyHeading, gitopsDocPath)
	}
	return program, sample
}

// fencedBlock returns the content of the first ```lang block in text.
func fencedBlock(text, lang string) string {
	_, rest, ok := strings.Cut(text, "\n```"+lang+"\n")
	if !ok {
		return ""
	}
	block, _, _ := strings.Cut(rest, "\n```\n")
	return block + "\n"
}
