// Package webhook receives git push webhooks and turns a signed push to the
// followed branch into a sync trigger.
//
// The Handler checks every request in order: the method is POST (405), the
// body fits the size limit (413), the provider is recognised by its headers
// (GitHub, GitLab, Gitea or the generic X-Syncline-Signature; 401 when none
// applies), the signature or token matches the secret (401, compared in
// constant time), the event is a push (a GitHub ping gets 200 "pong"; other
// events 202), the delivery was not seen among the last 1,000 (200
// "duplicate delivery"), the payload is JSON with "ref" and "after" (400),
// and the ref is the followed branch (202 "ignored: branch X"). A valid push
// calls Trigger, which must only signal, and gets 202 "sync queued".
//
// Neither the secret nor a signature is ever logged.
package webhook
