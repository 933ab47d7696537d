package views

import (
	"fmt"
	"io"
	"time"

	"github.com/syncline/syncline/engine/notify"
	"github.com/syncline/syncline/state"
)

// writeNotifications writes the Notifications section of runs show: each
// notify block the run's outcome was sent to, and how its delivery
// stands. Nothing when there are none.
func writeNotifications(w io.Writer, ns []state.Notification) {
	if len(ns) == 0 {
		return
	}
	fmt.Fprintln(w, "\nNotifications")
	for _, n := range ns {
		fmt.Fprintf(w, "  notify %d (on %s): %s\n", n.Block+1, n.Outcome, notificationStatus(n))
		if last := lastAttempt(n); last != nil && last.Error != "" {
			fmt.Fprintf(w, "    last error: %s\n", printable(last.Error, 500))
		}
	}
}

// notificationStatus says where n's delivery stands.
func notificationStatus(n state.Notification) string {
	tries := fmt.Sprintf("%d %s", len(n.Attempts), Plural("attempt", len(n.Attempts)))
	switch n.State {
	case state.NotificationDelivered:
		s := "delivered " + FormatTime(n.FinishedAt)
		if last := lastAttempt(n); last != nil && last.Status != "" {
			s += " (" + printable(last.Status, 100) + ")"
		}
		return s + ", " + tries
	case state.NotificationFailed:
		return "given up " + FormatTime(n.FinishedAt) + " after " + tries
	}
	if len(n.Attempts) == 0 {
		return "pending, not tried yet"
	}
	return "pending, " + tries + "; next attempt " + FormatTime(n.NextAttemptAt)
}

func lastAttempt(n state.Notification) *state.NotificationAttempt {
	if len(n.Attempts) == 0 {
		return nil
	}
	return &n.Attempts[len(n.Attempts)-1]
}

// notificationView is a notification in runs show -json.
type notificationView struct {
	Block         int                   `json:"block"`
	Outcome       string                `json:"outcome"`
	Key           string                `json:"key"`
	State         string                `json:"state"`
	CreatedAt     time.Time             `json:"created_at"`
	NextAttemptAt *time.Time            `json:"next_attempt_at,omitempty"`
	FinishedAt    *time.Time            `json:"finished_at,omitempty"`
	Attempts      []notificationAttempt `json:"attempts"`
}

type notificationAttempt struct {
	At     time.Time `json:"at"`
	By     string    `json:"by,omitempty"`
	Status string    `json:"status,omitempty"`
	Error  string    `json:"error,omitempty"`
}

func notificationsJSON(ns []state.Notification) []notificationView {
	out := make([]notificationView, 0, len(ns))
	for _, n := range ns {
		v := notificationView{Block: n.Block + 1, Outcome: string(n.Outcome), Key: n.Key, State: string(n.State),
			CreatedAt: n.CreatedAt.UTC(), Attempts: []notificationAttempt{}}
		if n.State == state.NotificationPending {
			at := n.NextAttemptAt.UTC()
			v.NextAttemptAt = &at
		} else if !n.FinishedAt.IsZero() {
			at := n.FinishedAt.UTC()
			v.FinishedAt = &at
		}
		for _, a := range n.Attempts {
			v.Attempts = append(v.Attempts, notificationAttempt{At: a.At.UTC(), By: a.By, Status: a.Status, Error: a.Error})
		}
		out = append(out, v)
	}
	return out
}

// Notified writes a line per notification delivered, retried later or
// given up after runs ended.
func (v *RunHuman) Notified(ds []notify.Delivery, err error) {
	writeDeliveries(v.streams, ds, err)
}

func writeDeliveries(s Streams, ds []notify.Delivery, err error) {
	for _, d := range ds {
		n := d.Notification
		what := fmt.Sprintf("Notification of run %d (%s) to %s", n.RunID, n.Outcome, printable(d.Target, 200))
		switch {
		case d.Err == nil:
			fmt.Fprintf(s.Stdout, "%s: delivered (%s).\n", what, printable(d.Status, 100))
		case d.GaveUp:
			fmt.Fprintf(s.Stderr, "%s: given up: %s\n", what, printable(d.Err.Error(), 500))
		default:
			fmt.Fprintf(s.Stderr, "%s: not delivered: %s\n  It stays queued: syncline serve, or the next syncline run, tries again from %s.\n",
				what, printable(d.Err.Error(), 500), FormatTime(d.Next))
		}
	}
	if err != nil {
		fmt.Fprintf(s.Stderr, "Notifications could not be delivered: %s\n", printable(err.Error(), 500))
	}
}
