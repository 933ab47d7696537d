// Package console is the HTTP side of syncline serve -listen: the
// operator's web console (server-rendered with html/template, static
// assets embedded), the JSON API under /api/v1/, /healthz and /readyz,
// and whatever else serve mounts on the same server (the git push webhook
// at /hooks/git, metrics).
//
// Everything but /healthz, /readyz and handlers mounted Public needs a
// token of the syncline { console { token ... } } block: as
// "Authorization: Bearer SECRET" for the API, or through the login form,
// which starts a server-side session (an HttpOnly, SameSite=Strict
// cookie) whose state-changing requests carry a per-session CSRF token.
// Only SHA-256 hashes of the secrets are kept, compared in constant time.
// Viewers read; operators also trigger, cancel, suspend and resume, and
// test a resource's connection.
// Definitions are read-only here: they come from git.
//
// It has the shape of engine.Server: a Config with defaults and
// validation, New, Start(ctx) / Stop(ctx), and Handler for tests.
//
// Neighbours: it reads state.Store; it queues runs with
// runner.EnqueueManual against the catalog engine.Server runs from, and
// wakes that server (Engine); it tests a resource's connection with
// engine/ops' TestResource, as syncline resources test does;
// engine/gitsync provides the webhook handler;
// cmd/syncline's serve wires the flags to it.
package console
