// Package gitsync is the syncer behind syncline serve -sync: a
// long-running service that follows the git branch of a configuration's
// sync block and runs ops.Sync at start, every poll interval and whenever
// its push webhook (engine/webhook; Handler, which engine/console mounts
// at /hooks/git when Webhook is set) reports a push — one sync at a time, a burst of triggers that
// arrive while a sync runs coalesced into one more. A failed sync is
// logged and recorded with state.Store.SyncRecordFailure, and the server
// keeps running the definitions applied before; after a sync leaves the
// state at a revision, the syncer follows that revision's sync block.
//
// It has the shape of engine.Server and of River's Client: a Config with
// defaults and validation, New, Start(ctx) / Stop(), and test signals
// tests wait on instead of sleeping. Syncer.ConfigDir answers where the
// configuration applied as a snapshot is — the checkout of the applied
// commit, from internal/gitmirror — so a Syncer is the engine.ConfigSource
// serve gives engine.Server.
//
// Neighbours: engine/ops runs each sync; internal/gitmirror keeps the
// mirror and checkouts; engine/webhook checks pushes; engine/console serves the
// webhook; cmd/syncline's serve
// wires the flags, the views a sync reports through and the log.
package gitsync
