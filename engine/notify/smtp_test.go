package notify

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/notify/notifytest"
	"github.com/syncline/syncline/state"
)

func mailTask(addr, tlsMode string) string {
	host, port, _ := net.SplitHostPort(addr)
	return `
syncline {
  public_url = "https://syncline.example.com"
  smtp {
    host     = "` + host + `"
    port     = ` + port + `
    tls      = "` + tlsMode + `"
    username = "syncline"
    password = env("SMTP_PASSWORD")
    from     = "Syncline <syncline@example.com>"
    ca_file  = "ca.pem"
  }
}
task "nightly" {
  description = "Nightly HR import"
  owner       = "iam-team"
  activity "exec" {
    command = "true"
  }
  notify {
    on      = ["partial", "failed"]
    email   = ["iam-team@example.com", "On call <oncall@example.com>"]
    subject = "[iam] {task} {outcome}"
  }
}
`
}

// TestEmailDelivered: a partial run's notification reaches the mail server
// over STARTTLS and implicit TLS, authenticated, to every recipient, with
// the task's and the run's details in a text and an HTML part.
func TestEmailDelivered(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			ms := notifytest.Start(t, dir, mode, "syncline", "pw-Secr3t")
			b := setup(t, mailTask(ms.Addr, mode), "SMTP_PASSWORD=pw-Secr3t")
			b.d.Dir = dir // where ca.pem is
			run := b.endRun(t, "nightly", state.RunPartial, "", importResults())
			ds := b.deliver(t)
			if len(ds) != 1 || ds[0].Err != nil || ds[0].Target != "e-mail to iam-team@example.com, On call <oncall@example.com>" {
				t.Fatalf("deliveries: %+v", ds)
			}
			got := ms.Received()
			if len(got) != 1 || got[0].From != "syncline@example.com" || strings.Join(got[0].To, ",") != "iam-team@example.com,oncall@example.com" {
				t.Fatalf("the server got %+v", got)
			}
			msg, err := mail.ReadMessage(strings.NewReader(string(got[0].Data)))
			if err != nil {
				t.Fatal(err)
			}
			n := b.notifications(t, run.ID)[0]
			if s := msg.Header.Get("Subject"); s != "[iam] nightly partial" {
				t.Errorf("subject %q", s)
			}
			if id := msg.Header.Get("Message-Id"); !strings.Contains(id, strings.NewReplacer(":", ".", "[", "", "]", "").Replace(n.Key)) {
				t.Errorf("Message-ID %q does not carry the key %q", id, n.Key)
			}
			parts := mimeParts(t, msg)
			if len(parts) != 2 || parts["text/plain"] == "" || parts["text/html"] == "" {
				t.Fatalf("parts %v, want text/plain and text/html", parts)
			}
			for _, want := range []string{"Nightly HR import", "iam-team", "exec", "partial", "4 users, 3 accounts", "app/carol",
				"https://syncline.example.com/runs/1"} {
				for typ, body := range parts {
					if !strings.Contains(body, want) {
						t.Errorf("the %s part lacks %q:\n%s", typ, want, body)
					}
				}
			}
			if html := parts["text/html"]; strings.Contains(html, "row <script>") || !strings.Contains(html, "row &lt;script&gt;") {
				t.Errorf("the HTML part does not escape a value:\n%s", html)
			}
		})
	}
}

// TestEmailWrongPassword: a server that refuses the credentials is a
// failed attempt, kept for a retry; the password is in no error, no
// attempt, no log.
func TestEmailWrongPassword(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ms := notifytest.Start(t, dir, notifytest.StartTLS, "syncline", "right")
	b := setup(t, mailTask(ms.Addr, "starttls"), "SMTP_PASSWORD=Wr0ng-pw")
	b.d.Dir = dir
	run := b.endRun(t, "nightly", state.RunFailed, "", nil)
	ds := b.deliver(t)
	if len(ds) != 1 || ds[0].Err == nil || ds[0].GaveUp {
		t.Fatalf("deliveries: %+v", ds)
	}
	n := b.notifications(t, run.ID)[0]
	if n.State != state.NotificationPending || strings.Contains(n.Attempts[0].Error, "Wr0ng-pw") || strings.Contains(ds[0].Err.Error(), "Wr0ng-pw") {
		t.Errorf("notification: %+v", n)
	}
	if len(ms.Received()) != 0 {
		t.Error("the server accepted a message without authentication")
	}
}

// TestEmailUntrustedServer: STARTTLS to a server whose certificate is not
// trusted (no ca_file) fails rather than sending in the clear.
func TestEmailUntrustedServer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ms := notifytest.Start(t, dir, notifytest.StartTLS, "syncline", "pw")
	b := setup(t, strings.Replace(mailTask(ms.Addr, "starttls"), `ca_file  = "ca.pem"`, "", 1), "SMTP_PASSWORD=pw")
	b.endRun(t, "nightly", state.RunFailed, "", nil)
	ds := b.deliver(t)
	if len(ds) != 1 || ds[0].Err == nil || !strings.Contains(ds[0].Err.Error(), "certificate") {
		t.Fatalf("deliveries: %+v", ds)
	}
	if len(ms.Received()) != 0 {
		t.Error("a message reached a server whose certificate is not trusted")
	}
}

// mimeParts returns the decoded parts of a multipart/alternative message
// by content type.
func mimeParts(t *testing.T, msg *mail.Message) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q, want multipart/alternative", msg.Header.Get("Content-Type"))
	}
	out := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		typ, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[typ] = string(body)
	}
}

// TestEmailAttachesReports: the files the run's report activities wrote
// travel with the e-mail.
func TestEmailAttachesReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ms := notifytest.Start(t, dir, notifytest.StartTLS, "syncline", "pw")
	b := setup(t, mailTask(ms.Addr, "starttls"), "SMTP_PASSWORD=pw")
	b.d.Dir = dir
	report := filepath.Join(dir, "summary.csv")
	if err := os.WriteFile(report, []byte("kind,resource,count\nusers added,,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	acts := importResults()
	acts = append(acts, state.ActivityResult{Name: "summary", Type: "report", State: state.RunSucceeded,
		Output: map[string]string{ReportOutput: report}})
	b.endRun(t, "nightly", state.RunFailed, "", acts)
	if ds := b.deliver(t); len(ds) != 1 || ds[0].Err != nil {
		t.Fatalf("deliveries: %+v", ds)
	}
	got := ms.Received()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	raw := string(got[0].Data)
	encoded := base64.StdEncoding.EncodeToString([]byte("kind,resource,count\nusers added,,3\n"))
	if !strings.Contains(raw, `filename="summary.csv"`) || !strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), encoded) {
		t.Errorf("the message does not carry summary.csv:\n%s", raw)
	}
}
