// Package securitysummary tests the security-summary example as a new
// user runs it: the built syncline binary, `syncline up`, and a real SMTP
// server on loopback that catches the mail.
package securitysummary_test

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/notify/notifytest"
	"github.com/syncline/syncline/internal/exampletest"
)

// TestExample runs `syncline up` on a copy of the example: the import
// adds three users and their accounts, the summary task writes the day's
// summary, and the security team gets it by e-mail, attached.
func TestExample(t *testing.T) {
	t.Parallel()
	ms := notifytest.Start(t, t.TempDir(), notifytest.Plain, "", "")
	bin := exampletest.Build(t)
	dir := exampletest.Copy(t, "syncline.hcl", "resources.hcl", "tasks.hcl", "data/hr.csv")
	cmd := exec.Command(bin, "up", dir)
	cmd.Env = append(os.Environ(), "SYNCLINE_VAR_smtp_host="+ms.Host, "SYNCLINE_VAR_smtp_port="+ms.Port)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("syncline up: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Notification of run 2 (succeeded) to e-mail to Security team <security@example.com>: delivered") {
		t.Errorf("syncline up does not say it mailed the summary:\n%s", out)
	}
	report, err := os.ReadFile(filepath.Join(dir, "reports", "security-summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	mails := ms.Received()
	if len(mails) != 1 || strings.Join(mails[0].To, ",") != "security@example.com" {
		t.Fatalf("the mail server got %+v", mails)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(mails[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	if s := msg.Header.Get("Subject"); s != "[iam] daily summary (succeeded)" {
		t.Errorf("subject %q", s)
	}
	attached := attachment(t, msg, "security-summary.csv")
	if attached != string(report) {
		t.Errorf("the attachment differs from the report written:\n%s\n---\n%s", attached, report)
	}
	for _, want := range []string{"users,,added,4,", "accounts,app,created,3,"} {
		if !strings.Contains(attached, want) {
			t.Errorf("the summary lacks %q:\n%s", want, attached)
		}
	}
}

// attachment returns the decoded body of the attached file name.
func attachment(t *testing.T, msg *mail.Message, name string) string {
	t.Helper()
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			t.Fatalf("no attachment %s", name)
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.FileName() != name {
			continue
		}
		body, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			dec, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(body), "\r\n", ""))
			if err != nil {
				t.Fatal(err)
			}
			return string(dec)
		}
		return string(body)
	}
}
