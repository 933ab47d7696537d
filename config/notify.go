package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Notify sends a run's outcome to a webhook or by e-mail.
type Notify struct {
	On []string // run outcomes, e.g. "failed"
	// Webhook is the URL to POST to (cty.NilVal for an e-mail); Secret,
	// when set, signs the body (HMAC-SHA256); Format is "json" or
	// "slack".
	Webhook cty.Value
	Secret  cty.Value
	Format  string
	// Email lists the recipients of an e-mail notification, sent through
	// the syncline block's smtp server; Subject is its template.
	Email   []string
	Subject string
	// Timeout bounds one delivery attempt; GiveUpAfter is how long failed
	// deliveries are retried. Zero: the defaults.
	Timeout     time.Duration
	GiveUpAfter time.Duration
	DeclRange   hcl.Range
}

// Notification formats and defaults.
const (
	NotifyFormatJSON          = "json"
	NotifyFormatSlack         = "slack"
	DefaultNotifyTimeout      = 10 * time.Second
	DefaultNotifyGiveUpAfter  = 24 * time.Hour
	DefaultNotifySubject      = "[syncline] {task}: {outcome} (run {run})"
	notifySubjectPlaceholders = "{task}, {outcome}, {run}, {mode}, {trigger}"
)

// Channel is "webhook" or "email".
func (n *Notify) Channel() string {
	if len(n.Email) > 0 {
		return "email"
	}
	return "webhook"
}

// Attempt returns the notification's timeout and give-up time, the
// defaults where unset.
func (n *Notify) Attempt() (timeout, giveUpAfter time.Duration) {
	timeout, giveUpAfter = n.Timeout, n.GiveUpAfter
	if timeout <= 0 {
		timeout = DefaultNotifyTimeout
	}
	if giveUpAfter <= 0 {
		giveUpAfter = DefaultNotifyGiveUpAfter
	}
	return timeout, giveUpAfter
}

var notifySchema = &hcl.BodySchema{
	Attributes: attrs("on", "webhook", "secret", "format", "email", "subject", "timeout", "give_up_after"),
}

func decodeNotify(d *decoder, b *hcl.Block) (*Notify, hcl.Diagnostics) {
	n := &Notify{On: []string{"failed"}, DeclRange: b.DefRange}
	content, diags := b.Body.Content(notifySchema)
	at := content.Attributes
	if a, ok := at["on"]; ok {
		diags = append(diags, decodeOutcomes(d, a, n)...)
	}
	if a, ok := at["webhook"]; ok {
		diags = append(diags, decodeWebhook(d, a, n)...)
	}
	n.Secret, diags = d.secret(at["secret"], diags)
	if a, ok := at["format"]; ok {
		diags = append(diags, d.enum(a, []string{NotifyFormatJSON, NotifyFormatSlack}, &n.Format)...)
	}
	if a, ok := at["email"]; ok {
		diags = append(diags, d.strings(a, &n.Email)...)
		diags = append(diags, checkRecipients(n.Email, a)...)
	}
	if a, ok := at["subject"]; ok {
		diags = append(diags, d.str(a, &n.Subject)...)
	}
	if a, ok := at["timeout"]; ok {
		diags = append(diags, d.duration(a, &n.Timeout)...)
	}
	if a, ok := at["give_up_after"]; ok {
		diags = append(diags, d.duration(a, &n.GiveUpAfter)...)
	}
	return n, append(diags, checkNotifyChannel(b, at)...)
}

func decodeOutcomes(d *decoder, a *hcl.Attribute, n *Notify) hcl.Diagnostics {
	var on []string
	diags := d.strings(a, &on)
	for _, o := range on {
		if !contains(RunOutcomes, o) {
			diags = append(diags, invalidChoice("on", o, RunOutcomes, a.Expr.Range()))
		}
	}
	if on != nil && len(on) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Notify on nothing",
			Detail:   fmt.Sprintf("on lists no outcome, so this notify block would never send anything. List some of %s, or remove the block.", quoteList(RunOutcomes)),
			Subject:  a.Expr.Range().Ptr(),
		})
	}
	if len(on) > 0 {
		n.On = on
	}
	return diags
}

func decodeWebhook(d *decoder, a *hcl.Attribute, n *Notify) hcl.Diagnostics {
	v, diags := d.value(a, cty.String)
	n.Webhook = v
	if !diags.HasErrors() && !v.IsMarked() && v.IsKnown() && !v.IsNull() {
		if u, err := url.Parse(v.AsString()); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid webhook URL",
				Detail:   "webhook must be an http:// or https:// URL.",
				Subject:  a.Expr.Range().Ptr(),
			})
		}
	}
	return diags
}

// checkRecipients accepts e-mail addresses ("name@example.com" or
// "Name <name@example.com>"), at least one.
func checkRecipients(to []string, a *hcl.Attribute) hcl.Diagnostics {
	if to != nil && len(to) == 0 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No recipients",
			Detail:   "email lists no address, so this notify block would send nothing. List some, or remove the block.",
			Subject:  a.Expr.Range().Ptr(),
		}}
	}
	var diags hcl.Diagnostics
	for _, addr := range to {
		if _, err := mail.ParseAddress(addr); err != nil || strings.ContainsAny(addr, "\r\n") {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid e-mail address",
				Detail:   fmt.Sprintf("%q is not an e-mail address such as \"iam-team@example.com\" or \"IAM team <iam-team@example.com>\".", addr),
				Subject:  a.Expr.Range().Ptr(),
			})
		}
	}
	return diags
}

// checkNotifyChannel wants exactly one of webhook and email, and the
// settings of the other left out.
func checkNotifyChannel(b *hcl.Block, at hcl.Attributes) hcl.Diagnostics {
	hook, email := at["webhook"] != nil, at["email"] != nil
	switch {
	case hook && email:
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Two channels in one notify block",
			Detail:   "A notify block sends to a webhook or by e-mail, not both: write two notify blocks.",
			Subject:  at["email"].Range.Ptr(),
		}}
	case !hook && !email:
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Missing notification channel",
			Detail:   "A notify block needs webhook (a URL to POST the outcome to) or email (a list of recipients).",
			Subject:  b.DefRange.Ptr(),
		}}
	}
	var diags hcl.Diagnostics
	misplaced := func(name, channel string) {
		if a := at[name]; a != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Setting of the other channel",
				Detail:   fmt.Sprintf("%s only applies to a notify block with %s.", name, channel),
				Subject:  a.Range.Ptr(),
			})
		}
	}
	if email {
		misplaced("secret", "webhook")
		misplaced("format", "webhook")
	} else {
		misplaced("subject", "email")
	}
	return diags
}

// SMTPSettings is the mail server e-mail notifications are sent through.
type SMTPSettings struct {
	Host string
	// Port defaults by TLS: 587 for "starttls", 465 for "tls", 25 for
	// "none".
	Port     int
	TLS      string // "starttls" (the default), "tls" (implicit) or "none"
	Username string
	Password cty.Value // always sensitive; cty.NilVal: no authentication
	From     string
	CAFile   string
	Timeout  time.Duration
	// InsecureSkipVerify accepts any server certificate.
	InsecureSkipVerify bool
	DeclRange          hcl.Range
}

// The TLS modes of an SMTP server.
const (
	SMTPStartTLS = "starttls"
	SMTPTLS      = "tls"
	SMTPNone     = "none"
)

var smtpSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "host", Required: true}, {Name: "port"}, {Name: "tls"}, {Name: "username"}, {Name: "password"},
		{Name: "from", Required: true}, {Name: "ca_file"}, {Name: "timeout"}, {Name: "insecure_skip_verify"},
	},
}

func decodeSMTP(d *decoder, b *hcl.Block) (*SMTPSettings, hcl.Diagnostics) {
	s := &SMTPSettings{TLS: SMTPStartTLS, DeclRange: b.DefRange}
	content, diags := b.Body.Content(smtpSchema)
	at := content.Attributes
	for _, f := range []struct {
		name string
		dst  *string
	}{{"host", &s.Host}, {"username", &s.Username}, {"from", &s.From}, {"ca_file", &s.CAFile}} {
		if a, ok := at[f.name]; ok {
			diags = append(diags, d.str(a, f.dst)...)
		}
	}
	if a, ok := at["tls"]; ok {
		diags = append(diags, d.enum(a, []string{SMTPStartTLS, SMTPTLS, SMTPNone}, &s.TLS)...)
	}
	if a, ok := at["port"]; ok {
		diags = append(diags, d.integer(a, 1, 65535, &s.Port)...)
	}
	if a, ok := at["timeout"]; ok {
		diags = append(diags, d.duration(a, &s.Timeout)...)
	}
	if a, ok := at["insecure_skip_verify"]; ok {
		diags = append(diags, d.boolean(a, &s.InsecureSkipVerify)...)
	}
	s.Password, diags = d.secret(at["password"], diags)
	if a := at["from"]; a != nil && s.From != "" {
		if _, err := mail.ParseAddress(s.From); err != nil || strings.ContainsAny(s.From, "\r\n") {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid e-mail address",
				Detail:   fmt.Sprintf("from must be an address such as \"syncline@example.com\" or \"Syncline <syncline@example.com>\"; %q is not.", s.From),
				Subject:  a.Expr.Range().Ptr(),
			})
		}
	}
	if a := at["password"]; a != nil && at["username"] == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing username",
			Detail:   "A password is sent with a user name: set username as well.",
			Subject:  a.Range.Ptr(),
		})
	}
	if s.Port == 0 {
		s.Port = map[string]int{SMTPStartTLS: 587, SMTPTLS: 465, SMTPNone: 25}[s.TLS]
	}
	return s, diags
}

// checkEmailNotifications wants the smtp settings that e-mail
// notifications are sent through.
func (c *Config) checkEmailNotifications() hcl.Diagnostics {
	if c.Settings != nil && c.Settings.SMTP != nil {
		return nil
	}
	var diags hcl.Diagnostics
	for _, name := range SortedNames(c.Tasks) {
		for _, n := range c.Tasks[name].Notify {
			if n.Channel() == "email" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "No mail server",
					Detail:   fmt.Sprintf("Task %q sends e-mail notifications, and no syncline { smtp { … } } block says through which server. Add one (host, from, and credentials if the server wants them).", name),
					Subject:  n.DeclRange.Ptr(),
				})
			}
		}
	}
	return diags
}
