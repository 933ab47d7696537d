package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/syncline/syncline/engine/notify"
)

func newNotifyMetrics() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "notification_deliveries_total",
		Help: "Notification delivery attempts, by channel (webhook, email; none when the notify block is gone) and result (delivered, retrying, gave_up)."},
		[]string{"channel", "result"})
}

// NotificationDelivered counts one delivery attempt (it implements
// engine.Observer).
func (m *Metrics) NotificationDelivered(d notify.Delivery) {
	channel := d.Channel
	if channel == "" {
		channel = "none"
	}
	result := "delivered"
	switch {
	case d.Err != nil && d.GaveUp:
		result = "gave_up"
	case d.Err != nil:
		result = "retrying"
	}
	m.notify.WithLabelValues(channel, result).Inc()
}
