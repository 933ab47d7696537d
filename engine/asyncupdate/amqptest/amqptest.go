// Package amqptest gives tests the local RabbitMQ: a channel on it, queues
// of their own (deleted when the test ends), publishing, and the depth of
// a queue. A test skips when the broker is unreachable, unless
// SYNCLINE_TEST_REQUIRE names rabbitmq. Only tests import it.
package amqptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// DefaultURL is the RabbitMQ the tests use; SYNCLINE_TEST_AMQP_URL
// overrides it.
const DefaultURL = "amqp://guest:guest@127.0.0.1:5672/"

// Broker returns the broker's URL and a channel on it, closed when t ends.
func Broker(t testing.TB) (string, *amqp.Channel) {
	t.Helper()
	url := DefaultURL
	if v := os.Getenv("SYNCLINE_TEST_AMQP_URL"); v != "" {
		url = v
	}
	conn, err := amqp.DialConfig(url, amqp.Config{Dial: amqp.DefaultDial(5 * time.Second)})
	if err != nil {
		if slices.Contains(strings.Split(os.Getenv("SYNCLINE_TEST_REQUIRE"), ","), "rabbitmq") {
			t.Fatalf("RabbitMQ at %s is unreachable, and SYNCLINE_TEST_REQUIRE names rabbitmq: %v", url, err)
		}
		t.Skipf("RabbitMQ at %s is unreachable, skipping (set SYNCLINE_TEST_AMQP_URL, or SYNCLINE_TEST_REQUIRE=rabbitmq to fail instead): %v", url, err)
	}
	t.Cleanup(func() { conn.Close() })
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	return url, ch
}

// Queue declares a queue of the test's own, deleted when t ends.
func Queue(t testing.TB, ch *amqp.Channel, prefix string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := prefix + "-" + hex.EncodeToString(b)
	if _, err := ch.QueueDeclare(name, false, false, false, false, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.QueueDelete(name, false, false, false) })
	return name
}

// Publish publishes JSON bodies to q.
func Publish(t testing.TB, ch *amqp.Channel, q string, bodies ...string) {
	t.Helper()
	for _, body := range bodies {
		err := ch.PublishWithContext(context.Background(), "", q, false, false, amqp.Publishing{ContentType: "application/json", Body: []byte(body)})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Depth is how many messages wait in q.
func Depth(t testing.TB, ch *amqp.Channel, q string) int {
	t.Helper()
	info, err := ch.QueueDeclarePassive(q, false, false, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	return info.Messages
}
