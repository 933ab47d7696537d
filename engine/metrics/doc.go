// Package metrics is syncline serve's Prometheus instrumentation: the
// runs a server executes (by task and outcome, their durations, the
// objects their activities processed and at what rate), the scheduler's
// lag, the queue depth read from the state at scrape time, the git
// syncs of serve -sync and its push webhook, and notification
// deliveries. A Metrics is an engine.Observer and a gitsync.Observer;
// Handler serves everything in the Prometheus text format, for /metrics.
//
// It keeps its own registry (never prometheus.DefaultRegisterer), with the
// Go runtime and process collectors, so that two servers in one process —
// tests — never share series. Label values are bounded: task names,
// activity types, run states, triggers, sync outcomes, HTTP status codes
// and notification channels — never a run ID, an object identifier, a
// URL or an address. docs/operations.md lists every metric.
//
// Neighbours: engine calls RunStarted and RunFinished from its workers and
// NotificationDelivered from its notify.Dispatcher; engine/gitsync calls
// SyncFinished and WebhookReceived; state.Store.RunCountActive answers the
// queue depth; the console's HTTP server (engine/console) mounts Handler.
package metrics
