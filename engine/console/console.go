package console

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Console is the HTTP server of syncline serve -listen.
type Console struct {
	cfg      Config
	tokens   tokenSet
	sessions *sessions
	handler  http.Handler
	ui       *ui
	tests    resourceTests // each resource's last test from the console

	lifecycle sync.Mutex // guards srv and ln
	srv       *http.Server
	ln        net.Listener
	done      chan struct{}
}

// New checks cfg and builds the console's handler.
func New(cfg Config) (*Console, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	c := &Console{cfg: cfg, tokens: newTokenSet(cfg.Tokens), sessions: newSessions(cfg.SessionTTL)}
	u, err := newUI(c)
	if err != nil {
		return nil, err
	}
	c.ui = u
	c.handler = c.routes()
	c.cfg.Tokens = nil // only the hashes stay
	return c, nil
}

// Handler is everything the console serves.
func (c *Console) Handler() http.Handler { return c.handler }

// Start listens on addr and serves until Stop or until ctx ends; it
// returns once listening.
func (c *Console) Start(ctx context.Context, addr string) error {
	c.lifecycle.Lock()
	defer c.lifecycle.Unlock()
	if c.srv != nil {
		return errors.New("console: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve -listen: %w", err)
	}
	c.ln, c.done = ln, make(chan struct{})
	c.srv = &http.Server{Handler: c.handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	go func() {
		defer close(c.done)
		if err := c.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			c.cfg.Logger.Error("console server stopped", "error", err.Error())
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = c.Stop(context.WithoutCancel(ctx))
		case <-c.done:
		}
	}()
	return nil
}

// Addr is the address the console listens on; nil before Start.
func (c *Console) Addr() net.Addr {
	c.lifecycle.Lock()
	defer c.lifecycle.Unlock()
	if c.ln == nil {
		return nil
	}
	return c.ln.Addr()
}

// Stop shuts the server down, letting requests under way finish within
// five seconds (or until ctx ends).
func (c *Console) Stop(ctx context.Context) error {
	c.lifecycle.Lock()
	srv, done := c.srv, c.done
	c.lifecycle.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := srv.Shutdown(ctx)
	<-done
	return err
}
