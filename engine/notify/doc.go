// Package notify delivers the notifications of run outcomes that the
// state's outbox holds: a run's end queues one per notify block that
// listens for its outcome (state.Store.RunFinish and the other ways a run
// ends), and a Dispatcher — in syncline serve, and in syncline run and up
// before they exit — claims the due ones, builds the message from the run
// (Message), sends it to a webhook (JSON, signed with HMAC-SHA256 when the
// block has a secret, or Slack's {"text": …}) or by e-mail through the
// syncline block's smtp server (github.com/wneessen/go-mail), and records
// each attempt: delivered, retried with backoff, or given up after the
// block's give_up_after.
//
// Delivery is at least once: a dispatcher that dies after the receiver
// accepted a notification but before recording it leaves it to be sent
// again, with the same key (the X-Syncline-Delivery header, the e-mail's
// Message-ID), so a receiver can drop the repeat.
//
// Destinations are read from the configuration at delivery time; a
// secret (a webhook URL with a token, the HMAC key, the SMTP password) is
// never written to the state, an error or a log.
package notify
