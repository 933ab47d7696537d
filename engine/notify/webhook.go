package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/zclconf/go-cty/cty"
)

// maxBody is the largest webhook body: a message past it loses changes,
// then errors, until it fits.
const maxBody = 64 << 10

// Webhook headers.
const (
	headerDelivery  = "X-Syncline-Delivery"
	headerEvent     = "X-Syncline-Event"
	headerSignature = "X-Syncline-Signature-256"
)

// webhookBody renders m as n's format asks, within maxBody.
func webhookBody(n *config.Notify, m *Message) ([]byte, error) {
	if n.Format == config.NotifyFormatSlack {
		return json.Marshal(map[string]string{"text": slackText(m)})
	}
	trimmed := *m
	for {
		body, err := json.Marshal(&trimmed)
		if err != nil || len(body) <= maxBody {
			return body, err
		}
		switch {
		case len(trimmed.Changes) > 0:
			trimmed.Changes = trimmed.Changes[:len(trimmed.Changes)/2]
		case len(trimmed.Errors) > 0:
			trimmed.Errors = trimmed.Errors[:len(trimmed.Errors)/2]
		default:
			return body, nil
		}
	}
}

// slackText is the message in one short text, with Slack's link syntax.
func slackText(m *Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Syncline: task *%s* %s (run %d", m.Task.Name, m.Run.Outcome, m.Run.ID)
	if m.Run.Trigger != "" {
		fmt.Fprintf(&b, ", %s", m.Run.Trigger)
	}
	b.WriteString(")")
	if m.Run.Error != "" {
		fmt.Fprintf(&b, "\n%s", m.Run.Error)
	}
	fmt.Fprintf(&b, "\nChanged: %d users, %d accounts; %d errors", m.Changed.Users, m.Changed.Accounts, m.ErrorsTotal)
	for _, e := range m.Errors[:min(len(m.Errors), 3)] {
		fmt.Fprintf(&b, "\n• %s: %s", e.Item, e.Message)
	}
	if m.Run.URL != "" {
		fmt.Fprintf(&b, "\n<%s|Open run %d>", m.Run.URL, m.Run.ID)
	}
	return b.String()
}

// postWebhook delivers m to n's webhook and returns the receiver's
// status. Errors never show the URL: it may hold a token.
func postWebhook(ctx context.Context, n *config.Notify, m *Message, timeout time.Duration) (string, error) {
	target, err := webhookURL(n.Webhook)
	if err != nil {
		return "", err
	}
	body, err := webhookBody(n, m)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), bytes.NewReader(body))
	if err != nil {
		return "", errors.New("the webhook URL cannot be requested")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "syncline")
	req.Header.Set(headerDelivery, m.Key)
	req.Header.Set(headerEvent, m.Event)
	if n.Secret != cty.NilVal {
		secret, _ := n.Secret.Unmark()
		if secret.IsKnown() && !secret.IsNull() {
			mac := hmac.New(sha256.New, []byte(secret.AsString()))
			mac.Write(body)
			req.Header.Set(headerSignature, "sha256="+hex.EncodeToString(mac.Sum(nil)))
		}
	}
	client := &http.Client{CheckRedirect: sameHost}
	resp, err := client.Do(req)
	if err != nil {
		return "", plainError(err, timeout)
	}
	defer resp.Body.Close()
	// Drain a little, so the connection can be reused; the answer's body
	// is the receiver's business and is not kept.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.Status, fmt.Errorf("the webhook answered %s", resp.Status)
	}
	return resp.Status, nil
}

// webhookURL reads the notify block's URL, which a sensitive value (an
// env() or a sensitive variable) only shows now.
func webhookURL(v cty.Value) (*url.URL, error) {
	plain, _ := v.Unmark()
	if plain == cty.NilVal || !plain.IsKnown() || plain.IsNull() || !plain.Type().Equals(cty.String) {
		return nil, errors.New("the webhook URL is not set")
	}
	u, err := url.Parse(plain.AsString())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("the webhook URL is not an http:// or https:// URL")
	}
	return u, nil
}

// sameHost follows at most three redirects, all on the first request's
// host: a receiver cannot send the notification (and its signature) on
// to another host.
func sameHost(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return errors.New("the webhook redirected more than 3 times")
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return errors.New("the webhook redirected to another host; notifications follow redirects on the same host only")
	}
	return nil
}

// plainError is err without the URL *url.Error puts in front of it.
func plainError(err error, timeout time.Duration) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("the webhook did not answer within %s", timeout)
		}
		err = ue.Err
	}
	return fmt.Errorf("posting to the webhook: %w", err)
}
