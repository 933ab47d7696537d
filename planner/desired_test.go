package planner

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/syncline/syncline/config"
)

var richFiles = map[string]string{
	"main.hcl": `
variable "hook" {
  type      = string
  sensitive = true
}

resource "mq" {
  connector = "csv"
  connection {
    path       = "data/mq.csv"
    identifier = "id"
  }
  object_type "account" {
    intent = "admin"
    correlate {
      name = attributes.id
    }
  }
}

task "a" {
  activity "propagation" {}
}

task "b" {
  activity "propagation" {}
}

task "c" {
  after    = [task.b, task.a]
  priority = 80
  timeout  = "1d12h"
  schedule {
    cron     = "0  3 * * MON-FRI"
    timezone = "America/New_York"
  }
  retry {
    attempts = 2
  }
  notify {
    webhook = var.hook
  }
  notify {
    on      = ["failed", "partial"]
    webhook = "https://hooks.example.com/plain"
  }
  activity "async_update" {
    resource = resource.mq
    intent   = "admin"
    url      = "amqp://guest:guest@localhost:5672/"
    queue    = "changes"
  }
  activity "exec" {
    command = "sync.sh"
    args    = ["--fast"]
    env = {
      TOKEN = var.hook
      MODE  = "x"
    }
  }
  activity "report" {
    source = "users"
    output = "out.csv"
    filter = user.status=="active"
  }
  activity "report" {
    name   = "summary"
    source = "summary"
    format = "html"
    output = "s.html"
  }
}
`,
}

func TestDesiredSpec(t *testing.T) {
	t.Parallel()
	defs := mustDesired(t, richFiles, "hook=https://hooks.example.com/T0ken")
	task := defs["task.c"]
	want := map[string]string{
		"after":                          `[task.a, task.b]`,
		"priority":                       `80`,
		"timeout":                        `"36h"`,
		"enabled":                        `true`,
		"mode":                           `"full"`,
		"concurrency":                    `"forbid"`,
		"description":                    `""`,
		"schedule.cron":                  `"0 3 * * MON-FRI"`,
		"schedule.every":                 `null`,
		"schedule.timezone":              `"America/New_York"`,
		"schedule.misfire":               `"run_once"`,
		"schedule.max_catch_up":          `10`,
		"retry.attempts":                 `2`,
		"retry.backoff":                  `"1m"`,
		"retry.max_backoff":              `"1h"`,
		"notify[0].on":                   `["failed"]`,
		"notify[0].webhook":              renderSensitive(testKey, "https://hooks.example.com/T0ken"),
		"notify[1].on":                   `["failed", "partial"]`,
		"notify[1].webhook":              `"https://hooks.example.com/plain"`,
		"activity[0].type":               `"async_update"`,
		"activity[0].resource":           `resource.mq`,
		"activity[0].intent":             `"admin"`,
		"activity[0].async_update.url":   renderSensitive(testKey, "amqp://guest:guest@localhost:5672/"),
		"activity[0].async_update.queue": `"changes"`,
		"activity[1].exec.args":          `["--fast"]`,
		`activity[1].exec.env["MODE"]`:   `"x"`,
		`activity[1].exec.env["TOKEN"]`:  renderSensitive(testKey, "https://hooks.example.com/T0ken"),
		"activity[2].report.source":      `"users"`,
		"activity[2].report.format":      `"csv"`,
		"activity[2].filter":             `user.status == "active"`,
		"activity[3].report.source":      `"summary"`,
		"activity[3].report.format":      `"html"`,
		"activity[3].report.since":       `"24h"`,
	}
	for path, v := range want {
		if got, ok := task.Spec[path]; !ok || got != v {
			t.Errorf("task.c %s = %q (present %v), want %q", path, got, ok, v)
		}
	}
	if _, ok := task.Spec["activity[2].report.since"]; ok {
		t.Error("a report of users has report.since: only a summary covers a period")
	}
	if _, ok := task.Spec["schedule"]; ok {
		t.Error("a task with an inline schedule also has schedule =")
	}
	if _, ok := task.Spec["activity[1].kind"]; ok {
		t.Error("an exec activity has a kind: attributes outside the type's schema leaked into the spec")
	}
	if task.Hash != SpecHash(task.Spec) || task.Revision != "rev1" || task.SourceFile != "cfg/main.hcl" || task.SourceLine != 29 {
		t.Errorf("task.c: hash %s, revision %q, source %s:%d", task.Hash, task.Revision, task.SourceFile, task.SourceLine)
	}
	mq := defs["resource.mq"].Spec
	if got := mq["object_type.account/admin.reactions.linked"]; got != `"synchronize"` {
		t.Errorf("default reaction = %q", got)
	}
	for addr, d := range defs {
		for path, v := range d.Spec {
			if strings.Contains(v, "T0ken") || strings.Contains(v, "guest:guest") {
				t.Errorf("%s %s holds a secret: %q", addr, path, v)
			}
		}
	}
}

func TestDesiredIgnoresFormatting(t *testing.T) {
	t.Parallel()
	a := mustDesired(t, baseFiles, secretVar)
	reformatted := edit(t, baseFiles, "resources.hcl", `attributes.state=="terminated" ? "disabled" : "active"`,
		`attributes.state   ==   "terminated"  ?  "disabled"  :  "active"`)
	reformatted = edit(t, reformatted, "schedules.hcl", `cron     = "0 2 * * *"`, `cron = "0 2  *  * *"`)
	b := mustDesired(t, reformatted, secretVar)
	for addr, d := range a {
		if b[addr].Hash != d.Hash {
			t.Errorf("%s: reformatting changed the hash:\n%v\n%v", addr, d.Spec, b[addr].Spec)
		}
	}
	got := a["resource.hr"].Spec["object_type.account/default.inbound.status"]
	if want := `attributes.state == "terminated" ? "disabled" : "active"`; got != want {
		t.Errorf("normalized expression = %q, want %q", got, want)
	}
}

func TestDesiredRefusesUnknownValues(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{}
	for name, src := range baseFiles {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	cfg, diags := config.LoadFS(fsys, "cfg", config.LoadOptions{AllowUnsetVariables: true})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	_, err := Desired(cfg, "", testKey)
	if err == nil || !strings.Contains(err.Error(), `variable "app_dsn" has no value`) {
		t.Errorf("Desired with an unset variable: err = %v", err)
	}
}

func TestDesiredChangesWithSecret(t *testing.T) {
	t.Parallel()
	a := mustDesired(t, baseFiles, secretVar)
	b := mustDesired(t, baseFiles, "app_dsn=another")
	if a["resource.app"].Hash == b["resource.app"].Hash {
		t.Error("a changed secret left the hash as it was")
	}
	if a["resource.hr"].Hash != b["resource.hr"].Hash {
		t.Error("a secret changed a definition that does not use it")
	}
}

// varFiles is a resource whose mappings read a variable, a sensitive
// variable and a local (which itself reads a variable), and a task whose
// filter reads another variable.
var varFiles = map[string]string{
	"main.hcl": `
variable "app_domain" {
  type    = string
  default = "example.com"
}
variable "salt" {
  type      = string
  sensitive = true
}
variable "region" {
  type    = string
  default = "eu"
}
variable "unused" {
  type    = string
  default = "x"
}
locals {
  suffix = "@${var.app_domain}"
}
resource "app" {
  connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = "app.db"
    table  = "accounts"
    key    = "login"
  }
  object_type "account" {
    correlate {
      name = attributes.login
    }
    outbound {
      login = user.name
      email = "${user.name}${local.suffix}"
      hash  = "${user.name}${var.salt}"
    }
  }
}
task "sync" {
  activity "reconciliation" {
    resource = resource.app
    kind     = "account"
    filter   = attributes.region == var.region
  }
}
`,
}

// TestDesiredVariableReads: the values of the variables and locals that
// kept expressions read are part of the definitions that read them.
func TestDesiredVariableReads(t *testing.T) {
	t.Parallel()
	defs := mustDesired(t, varFiles, "salt=pepper")
	app, task := defs["resource.app"].Spec, defs["task.sync"].Spec
	for path, want := range map[string]string{
		"local.suffix": `"@example.com"`,
		"var.salt":     renderSensitive(testKey, "pepper"),
	} {
		if got := app[path]; got != want {
			t.Errorf("resource.app %s = %q, want %q", path, got, want)
		}
	}
	if got := task["var.region"]; got != `"eu"` {
		t.Errorf("task.sync var.region = %q", got)
	}
	for _, path := range []string{"var.unused", "var.app_domain", "var.region"} {
		if v, ok := app[path]; ok {
			t.Errorf("resource.app has %s = %q, but no expression of it reads it (directly)", path, v)
		}
	}

	changed := mustDesired(t, varFiles, "salt=pepper", "app_domain=example.org")
	if defs["resource.app"].Hash == changed["resource.app"].Hash {
		t.Error("changing a variable a mapping reads (through a local) does not change the resource")
	}
	if defs["task.sync"].Hash != changed["task.sync"].Hash {
		t.Error("changing a variable the task does not read changes the task")
	}
	rotated := mustDesired(t, varFiles, "salt=salt2")
	if defs["resource.app"].Hash == rotated["resource.app"].Hash {
		t.Error("rotating a sensitive variable a mapping reads does not change the resource")
	}
	for addr, d := range rotated {
		for path, v := range d.Spec {
			if strings.Contains(v, "salt2") {
				t.Errorf("%s %s holds the secret: %q", addr, path, v)
			}
		}
	}
}

// TestDesiredWithoutSecrets: a configuration loaded without its secrets
// can be compared; a secret compares equal to itself and is never shown.
func TestDesiredWithoutSecrets(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"main.hcl": baseFiles["variables.hcl"] + baseFiles["resources.hcl"] + `
variable "region" {
  type = string
}
resource "ldap" {
  connector = "ldap"
  connection {
    url           = "ldap://localhost:389"
    base_dn       = "dc=example,dc=com"
    bind_dn       = "cn=admin,dc=example,dc=com"
    bind_password = env("LDAP_PASSWORD")
  }
}
`,
	}
	load := func(vars ...string) *config.Config {
		cfg, diags := config.LoadFS(fstest.MapFS{"main.hcl": {Data: []byte(files["main.hcl"])}}, "cfg", config.LoadOptions{Vars: vars, AllowUnsetVariables: true})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		return cfg
	}
	if _, err := DesiredWithoutSecrets(load(), "", testKey); err == nil || !strings.Contains(err.Error(), `variable "region" has no value`) {
		t.Fatalf("an unset plain variable: %v", err)
	}
	if _, err := Desired(load("region=eu"), "", testKey); err == nil {
		t.Fatal("Desired accepted an unknown secret")
	}
	defs, err := DesiredWithoutSecrets(load("region=eu"), "", testKey)
	if err != nil {
		t.Fatal(err)
	}
	if got := defs["resource.app"].Spec["connection.dsn"]; got != UnknownSensitive {
		t.Errorf("dsn = %q", got)
	}
	if got := defs["resource.ldap"].Spec["connection.bind_password"]; got != UnknownSensitive {
		t.Errorf("bind_password = %q", got)
	}
	p := mustCompute(t, defs, snapshotOf(defs, 1), Options{})
	if p.HasChanges() {
		t.Errorf("a configuration differs from itself: %+v", p.Changes)
	}
}

// TestDesiredVariableReadsRepeated: the reads of a kept expression are
// remembered by its text (specWriter.readsOf), so every definition that
// repeats it reads the same, and a different text its own.
func TestDesiredVariableReadsRepeated(t *testing.T) {
	t.Parallel()
	files := map[string]string{"main.hcl": varFiles["main.hcl"]}
	var b strings.Builder
	for i := range 50 {
		filter := "attributes.region == var.region"
		if i%10 == 9 {
			filter = "attributes.region == local.suffix"
		}
		fmt.Fprintf(&b, "task \"t%d\" {\n  activity \"reconciliation\" {\n    resource = resource.app\n    kind     = \"account\"\n    filter   = %s\n  }\n}\n", i, filter)
	}
	files["tasks.hcl"] = b.String()
	defs := mustDesired(t, files, "salt=pepper")
	for i := range 50 {
		spec := defs[fmt.Sprintf("task.t%d", i)].Spec
		region, suffix := spec["var.region"], spec["local.suffix"]
		if i%10 == 9 && (region != "" || suffix != `"@example.com"`) || i%10 != 9 && (region != `"eu"` || suffix != "") {
			t.Errorf("task.t%d reads var.region %q, local.suffix %q", i, region, suffix)
		}
	}
}
