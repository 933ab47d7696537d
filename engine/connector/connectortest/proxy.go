package connectortest

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// Proxy forwards TCP connections to a server until Cut, which drops every
// connection and refuses new ones: to a client, the server went away.
type Proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	cut    bool
	// budget is how many more bytes clients may send before the proxy
	// cuts (CutAfter); negative for no limit.
	budget atomic.Int64
}

// NewProxy starts a proxy on a loopback port to target ("host:port"); it
// stops when t ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target}
	p.budget.Store(-1)
	go p.serve()
	t.Cleanup(p.Cut)
	return p
}

// Addr is the proxy's "host:port".
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Cut closes the listener and every forwarded connection.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// CutAfter cuts the proxy once clients have sent n more bytes towards the
// server: a connection that drops in the middle of what a client is
// doing, such as a batch of writes.
func (p *Proxy) CutAfter(n int64) { p.budget.Store(n) }

// Drop closes every forwarded connection and goes on accepting new ones:
// a connection lost in the middle of a stream, which the client may open
// again.
func (p *Proxy) Drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// spend counts n bytes sent by a client and reports whether the proxy
// must cut now.
func (p *Proxy) spend(n int) bool {
	for {
		b := p.budget.Load()
		if b < 0 {
			return false
		}
		left := max(b-int64(n), 0)
		if p.budget.CompareAndSwap(b, left) {
			return left == 0
		}
	}
}

// upstream copies what the client sends to the server, cutting when the
// budget runs out.
func (p *Proxy) upstream(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if p.spend(n) {
				p.Cut()
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *Proxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(client)
	}
}

func (p *Proxy) forward(client net.Conn) {
	upstream, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, upstream) {
		return
	}
	go func() { p.upstream(upstream, client); upstream.Close() }()
	io.Copy(client, upstream)
	client.Close()
}

// track records a connection pair, or closes it when the proxy is cut.
func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	p.conns = append(p.conns, conns...)
	return true
}
