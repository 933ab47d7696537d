package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/wneessen/go-mail"
	"github.com/zclconf/go-cty/cty"
)

// sendEmail sends m to n's recipients through the smtp server s. dir is
// the configuration directory (for a relative ca_file); attachments are
// files the run wrote.
func sendEmail(ctx context.Context, s *config.SMTPSettings, dir string, n *config.Notify, m *Message, attachments []string, timeout time.Duration) (string, error) {
	if s == nil {
		return "", errors.New("no mail server: the syncline block has no smtp block")
	}
	msg := mail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return "", fmt.Errorf("the sender %q: %w", s.From, err)
	}
	if err := msg.To(n.Email...); err != nil {
		return "", fmt.Errorf("the recipients: %w", err)
	}
	msg.Subject(m.subject(n.Subject))
	msg.SetMessageIDWithValue(messageID(m.Key))
	msg.SetDate()
	msg.SetGenHeader("X-Syncline-Delivery", m.Key)
	msg.SetBodyString(mail.TypeTextPlain, emailText(m))
	html, err := emailHTML(m)
	if err != nil {
		return "", err
	}
	msg.AddAlternativeString(mail.TypeTextHTML, html)
	var room int64 = maxAttachments
	for _, path := range attachments {
		fi, err := os.Stat(path)
		if err != nil || !fi.Mode().IsRegular() || fi.Size() > room {
			continue // gone, or too large to mail: the text names it
		}
		room -= fi.Size()
		msg.AttachFile(path, mail.WithFileName(filepath.Base(path)))
	}
	if s.Timeout > 0 {
		timeout = s.Timeout
	}
	opts := []mail.Option{mail.WithPort(s.Port), mail.WithTimeout(timeout)}
	tlsConfig := &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: s.InsecureSkipVerify}
	if s.CAFile != "" {
		pool, err := caPool(dir, s.CAFile)
		if err != nil {
			return "", err
		}
		tlsConfig.RootCAs = pool
	}
	opts = append(opts, mail.WithTLSConfig(tlsConfig))
	switch s.TLS {
	case config.SMTPTLS:
		opts = append(opts, mail.WithSSL())
	case config.SMTPNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.Username))
		if s.Password != cty.NilVal {
			pw, _ := s.Password.Unmark()
			if pw.IsKnown() && !pw.IsNull() {
				opts = append(opts, mail.WithPassword(pw.AsString()))
			}
		}
	}
	client, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return "", fmt.Errorf("the mail server settings: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return "", fmt.Errorf("sending through %s:%d: %w", s.Host, s.Port, redactSecret(err, s.Password))
	}
	return "250 accepted", nil
}

// maxAttachments is the most bytes of reports one e-mail carries.
const maxAttachments = 10 << 20

// messageID makes the notification's key a Message-ID, the same for a
// repeated delivery.
func messageID(key string) string {
	r := strings.NewReplacer(":", ".", "[", "", "]", "", "/", ".", " ", "")
	return r.Replace(key) + "@syncline"
}

func caPool(dir, file string) (*x509.CertPool, error) {
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("the smtp ca_file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the smtp ca_file %s holds no PEM certificate", file)
	}
	return pool, nil
}

// redactSecret keeps the password out of an error, should the library
// or the server ever quote it.
func redactSecret(err error, secret cty.Value) error {
	if secret == cty.NilVal {
		return err
	}
	pw, _ := secret.Unmark()
	if !pw.IsKnown() || pw.IsNull() || pw.AsString() == "" || !strings.Contains(err.Error(), pw.AsString()) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), pw.AsString(), "(sensitive)"))
}

// emailText is the plain-text part.
func emailText(m *Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Task %s: %s (run %d)\n\n", m.Task.Name, m.Run.Outcome, m.Run.ID)
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, row := range summaryRows(m) {
		fmt.Fprintf(w, "%s:\t%s\n", row[0], row[1])
	}
	w.Flush()
	if m.Run.Error != "" {
		fmt.Fprintf(&b, "\nError: %s\n", m.Run.Error)
	}
	if len(m.Statistics) > 0 {
		b.WriteString("\nResults\n")
		w = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, name := range m.statisticNames() {
			fmt.Fprintf(w, "  %s\t%d\n", name, m.Statistics[name])
		}
		w.Flush()
	}
	if len(m.Changes) > 0 {
		fmt.Fprintf(&b, "\nChanges (%d of %d)\n", len(m.Changes), m.ChangesTotal)
		for _, c := range m.Changes {
			fmt.Fprintf(&b, "  %s\n", changeLine(c))
		}
	}
	if len(m.Errors) > 0 {
		fmt.Fprintf(&b, "\nErrors (%d of %d)\n", len(m.Errors), m.ErrorsTotal)
		for _, e := range m.Errors {
			fmt.Fprintf(&b, "  %s [%s]: %s\n", e.Item, e.Category, e.Message)
		}
	}
	if len(m.Reports) > 0 {
		fmt.Fprintf(&b, "\nReports (attached up to %d MB in all): %s\n", maxAttachments>>20, strings.Join(m.Reports, ", "))
	}
	if m.Run.URL != "" {
		fmt.Fprintf(&b, "\nOpen the run: %s\n", m.Run.URL)
	}
	fmt.Fprintf(&b, "\nsyncline runs show %d\n", m.Run.ID)
	return b.String()
}

// summaryRows are the task's and the run's fields, as the console's task
// grid shows them.
func summaryRows(m *Message) [][2]string {
	rows := [][2]string{
		{"Task", m.Task.Name},
		{"Description", m.Task.Description},
		{"Type", strings.Join(m.Task.Activities, ", ")},
		{"Status", m.Task.State + since(m.Task.StateSince)},
		{"Owner", m.Task.Owner},
		{"Result", m.Run.Outcome},
		{"Trigger", m.Run.Trigger + by(m.Run.TriggeredBy)},
		{"Mode", m.Run.Mode},
		{"Revision", m.Run.Revision},
		{"Started", m.Run.Started},
		{"Finished", m.Run.Finished},
		{"Duration", fmt.Sprintf("%.1fs", m.Run.DurationSeconds)},
		{"Changed", fmt.Sprintf("%d users, %d accounts", m.Changed.Users, m.Changed.Accounts)},
	}
	out := rows[:0]
	for _, r := range rows {
		if r[1] != "" {
			out = append(out, r)
		}
	}
	return out
}

func since(t string) string {
	if t == "" {
		return ""
	}
	return " since " + t
}

func by(who string) string {
	if who == "" {
		return ""
	}
	return " (" + who + ")"
}

func changeLine(c Change) string {
	s := c.Object + " " + c.Op
	if c.Resource != "" {
		s += " " + c.Resource + "/" + c.Identifier
	}
	if c.User != "" {
		s += " (" + c.User + ")"
	}
	if c.Error != "" {
		s += ": failed: " + c.Error
	}
	return s
}

var htmlTemplate = template.Must(template.New("email").Funcs(template.FuncMap{"change": changeLine}).Parse(`<!DOCTYPE html>
<html><body style="font-family: sans-serif">
<h2>Task {{.M.Task.Name}}: {{.M.Run.Outcome}} (run {{.M.Run.ID}})</h2>
<table cellpadding="4">
{{range .Rows}}<tr><th align="left">{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{end}}</table>
{{if .M.Run.Error}}<p><b>Error:</b> {{.M.Run.Error}}</p>{{end}}
{{if .M.Statistics}}<h3>Results</h3><table cellpadding="2">
{{range .Stats}}<tr><td>{{index . 0}}</td><td align="right">{{index . 1}}</td></tr>
{{end}}</table>{{end}}
{{if .M.Changes}}<h3>Changes ({{len .M.Changes}} of {{.M.ChangesTotal}})</h3><ul>
{{range .M.Changes}}<li>{{change .}}</li>
{{end}}</ul>{{end}}
{{if .M.Errors}}<h3>Errors ({{len .M.Errors}} of {{.M.ErrorsTotal}})</h3><ul>
{{range .M.Errors}}<li>{{.Item}} [{{.Category}}]: {{.Message}}</li>
{{end}}</ul>{{end}}
{{if .M.Reports}}<p><b>Reports</b> (attached): {{range $i, $r := .M.Reports}}{{if $i}}, {{end}}{{$r}}{{end}}</p>{{end}}
{{if .M.Run.URL}}<p><a href="{{.M.Run.URL}}">Open the run</a></p>{{end}}
</body></html>
`))

// emailHTML is the HTML part: the same as the text, every value escaped.
func emailHTML(m *Message) (string, error) {
	var stats [][2]string
	for _, name := range m.statisticNames() {
		stats = append(stats, [2]string{name, fmt.Sprint(m.Statistics[name])})
	}
	var b strings.Builder
	err := htmlTemplate.Execute(&b, struct {
		M     *Message
		Rows  [][2]string
		Stats [][2]string
	}{m, summaryRows(m), stats})
	return b.String(), err
}
