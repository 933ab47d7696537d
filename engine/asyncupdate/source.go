package asyncupdate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/internal/clock"
	"github.com/zclconf/go-cty/cty"
)

// Source reads an async_update's queue on RabbitMQ (AMQP 0-9-1,
// github.com/rabbitmq/amqp091-go): the broker sends up to prefetch
// messages ahead; Receive hands them over as they come, Ack acknowledges
// them once their effects are committed. A connection that drops is
// opened again with backoff; what was not acknowledged on it the broker
// sends again, and processing it again changes nothing.
type Source struct {
	settings config.AsyncUpdateSettings
	url      string
	clock    clock.Clock
	log      *slog.Logger

	mu         sync.Mutex
	conn       *amqp.Connection
	ch         *amqp.Channel
	deliveries <-chan amqp.Delivery
	received   int
	done       bool
}

// Reconnect backoff.
const (
	reconnectBase = 500 * time.Millisecond
	reconnectMax  = 30 * time.Second
)

// Open connects to the broker and starts consuming the queue. The URL's
// password never appears in an error.
func Open(ctx context.Context, s config.AsyncUpdateSettings, clk clock.Clock, log *slog.Logger) (*Source, error) {
	u, err := plainURL(s.URL)
	if err != nil {
		return nil, err
	}
	if clk == nil {
		clk = clock.Real{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	src := &Source{settings: s, url: u, clock: clk, log: log}
	if err := src.connect(ctx); err != nil {
		return nil, err
	}
	return src, nil
}

func plainURL(v cty.Value) (string, error) {
	plain, _ := v.Unmark()
	if plain == cty.NilVal || !plain.IsKnown() || plain.IsNull() {
		return "", errors.New("async_update: the AMQP url is not set")
	}
	return plain.AsString(), nil
}

// connect opens a connection and a channel and starts consuming.
func (s *Source) connect(ctx context.Context) error {
	conn, err := amqp.DialConfig(s.url, amqp.Config{Dial: amqp.DefaultDial(10 * time.Second)})
	if err != nil {
		return s.describe("connect to", err)
	}
	ch, err := conn.Channel()
	if err == nil {
		err = ch.Qos(max(s.settings.Prefetch, 1), 0, false)
	}
	if err == nil && s.settings.DeadLetterQueue != "" {
		// The dead-letter queue must exist (a message published to no
		// queue is dropped), and a dead letter is acknowledged only once
		// the broker confirms it has it.
		if _, err = ch.QueueDeclarePassive(s.settings.DeadLetterQueue, true, false, false, false, nil); err == nil {
			err = ch.Confirm(false)
		}
	}
	var deliveries <-chan amqp.Delivery
	if err == nil {
		deliveries, err = ch.ConsumeWithContext(ctx, s.settings.Queue, "", false, false, false, false, nil)
	}
	if err != nil {
		conn.Close()
		return s.describe("consume from", err)
	}
	s.mu.Lock()
	s.conn, s.ch, s.deliveries = conn, ch, deliveries
	s.mu.Unlock()
	return nil
}

// describe makes err say which broker and queue, without the URL's
// credentials.
func (s *Source) describe(what string, err error) error {
	host := "the broker"
	if u, perr := url.Parse(s.url); perr == nil {
		host = u.Host
	}
	msg := err.Error()
	if u, perr := url.Parse(s.url); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "(sensitive)")
		}
	}
	return fmt.Errorf("async_update: %s queue %q on %s: %s", what, s.settings.Queue, host, msg)
}

// Receive returns the next messages: it waits for the first (at most
// idle_timeout, when set), then takes what has arrived, up to max. None
// when idle, when max_messages were received, or when ctx ended.
func (s *Source) Receive(ctx context.Context, max int) ([]synchronization.Message, error) {
	if s.done || (s.settings.MaxMessages > 0 && s.received >= s.settings.MaxMessages) {
		return nil, nil
	}
	if s.settings.MaxMessages > 0 {
		max = min(max, s.settings.MaxMessages-s.received)
	}
	first, ok, err := s.wait(ctx)
	if err != nil || !ok {
		return nil, err
	}
	out := []synchronization.Message{s.message(first)}
	// More of a backlog may be on its way: linger a little for a fuller
	// batch (a commit each), never past the linger.
	var linger <-chan time.Time
	for len(out) < max {
		select {
		case d, open := <-s.deliveries:
			if !open {
				s.received += len(out)
				return out, nil // the next Receive reconnects
			}
			out = append(out, s.message(d))
			continue
		default:
		}
		if linger == nil {
			// Real time, not the run's clock: the linger waits for the
			// network, not for anything a test's clock could stand for.
			t := time.NewTimer(batchLinger)
			defer t.Stop()
			linger = t.C
		}
		select {
		case d, open := <-s.deliveries:
			if !open {
				s.received += len(out)
				return out, nil
			}
			out = append(out, s.message(d))
		case <-linger:
			s.received += len(out)
			return out, nil
		case <-ctx.Done():
			s.received += len(out)
			return out, nil
		}
	}
	s.received += len(out)
	return out, nil
}

// batchLinger is how long Receive waits for a batch to fill once its
// first message has come.
const batchLinger = 20 * time.Millisecond

// wait waits for one delivery, reconnecting when the connection dropped.
func (s *Source) wait(ctx context.Context) (amqp.Delivery, bool, error) {
	var idle <-chan time.Time
	if s.settings.IdleTimeout > 0 {
		t := s.clock.NewTimer(s.settings.IdleTimeout)
		defer t.Stop()
		idle = t.C()
	}
	backoff := reconnectBase
	for {
		select {
		case <-ctx.Done():
			return amqp.Delivery{}, false, nil
		case <-idle:
			s.done = true
			return amqp.Delivery{}, false, nil
		case d, open := <-s.deliveries:
			if open {
				return d, true, nil
			}
		}
		// The channel closed: the connection dropped or the broker
		// stopped. Open it again, with backoff.
		s.log.Warn("async_update: the broker connection dropped; reconnecting", "queue", s.settings.Queue, "wait", backoff)
		s.closeConn()
		t := s.clock.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return amqp.Delivery{}, false, nil
		case <-t.C():
		}
		if err := s.connect(ctx); err != nil {
			s.log.Warn("async_update: reconnecting failed", "error", err)
			backoff = min(2*backoff, reconnectMax)
			closed := make(chan amqp.Delivery)
			close(closed)
			s.deliveries = closed // the next round waits out the backoff and tries again
			continue
		}
		backoff = reconnectBase
	}
}

// message reads a delivery.
func (s *Source) message(d amqp.Delivery) synchronization.Message {
	m := synchronization.Message{Ref: d}
	if err := CheckEnvelope(d.Body, d.ContentType, s.settings.MaxMessageSize); err != nil {
		m.Err = err
		return m
	}
	if s.settings.MessageFormat == config.MessageFormatNotification {
		id, err := ParseNotification(d.Body)
		m.Change.ID, m.Err, m.Notification = id, err, true
		return m
	}
	m.Change, m.Err = ParseChange(d.Body)
	return m
}

// Ack acknowledges msgs (with multiple, up to the last).
func (s *Source) Ack(msgs []synchronization.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	var last uint64
	for _, m := range msgs {
		last = max(last, m.Ref.(amqp.Delivery).DeliveryTag)
	}
	s.mu.Lock()
	ch := s.ch
	s.mu.Unlock()
	if ch == nil || ch.IsClosed() {
		s.lostAcks(len(msgs))
		return nil
	}
	if err := ch.Ack(last, true); err != nil {
		if errors.Is(err, amqp.ErrClosed) || ch.IsClosed() {
			s.lostAcks(len(msgs))
			return nil
		}
		return s.describe("acknowledge on", err)
	}
	return nil
}

// lostAcks notes messages whose effects are committed but whose channel
// closed before they were acknowledged: the broker sends them again, and
// processing them again changes nothing.
func (s *Source) lostAcks(n int) {
	s.log.Warn("async_update: the connection dropped before messages were acknowledged; the broker sends them again", "queue", s.settings.Queue, "messages", n)
}

// DeadLetter publishes m's body to the dead-letter queue with the error
// in its headers, then acknowledges m.
func (s *Source) DeadLetter(m synchronization.Message, cause error) error {
	s.mu.Lock()
	ch := s.ch
	s.mu.Unlock()
	if s.settings.DeadLetterQueue == "" {
		return errors.New("async_update: no dead_letter_queue to set a failing message aside in")
	}
	return s.deadLetter(ch, m, cause)
}

// Close ends the consumption; what was not acknowledged the broker keeps.
func (s *Source) Close() error {
	s.closeConn()
	return nil
}

func (s *Source) closeConn() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.Close()
		s.conn, s.ch = nil, nil
	}
}

// deadLetter publishes d to the dead-letter queue, waits for the broker
// to confirm it, and acknowledges d.
func (s *Source) deadLetter(ch *amqp.Channel, m synchronization.Message, cause error) error {
	d := m.Ref.(amqp.Delivery)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conf, err := ch.PublishWithDeferredConfirmWithContext(ctx, "", s.settings.DeadLetterQueue, true, false, amqp.Publishing{
		Headers:      amqp.Table{"x-syncline-error": cause.Error(), "x-syncline-queue": s.settings.Queue},
		ContentType:  d.ContentType,
		DeliveryMode: amqp.Persistent,
		Body:         d.Body,
	})
	if err == nil {
		var ok bool
		ok, err = conf.WaitContext(ctx)
		if err == nil && !ok {
			err = errors.New("the broker refused it")
		}
	}
	if err != nil {
		return s.describe("set a failing message aside in "+s.settings.DeadLetterQueue+" for", err)
	}
	if err := ch.Ack(d.DeliveryTag, false); err != nil {
		return s.describe("acknowledge on", err)
	}
	return nil
}
