// Package server is the reference service's HTTP layer: the /v1 endpoints around the hotspot kernels,
// the implementation switch (Go or Rust, and a share of requests sent to Rust), the loopback-only admin
// endpoint, and the metrics. Responses are built here from the kernels' results, so both
// implementations answer byte-identical bodies.
package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hotswap.local/service/internal/hotspot"
	"hotswap.local/service/internal/kernel"
)

// Config is what the flags set.
type Config struct {
	Impl             string // "go" or "rust"
	RustSharePercent int    // 0..100
	AdminToken       string // empty: the admin endpoint refuses everyone (403)
	MaxBodyBytes     int64
	Seed             uint64
	DownstreamMs     float64 // median of the simulated downstream wait of /v1/orders
}

// Server holds the live state; the handler is safe for concurrent use.
type Server struct {
	cfg     Config
	mu      sync.RWMutex // guards impl and share
	impl    string
	share   int
	seq     atomic.Uint64 // request sequence number: decides Rust or Go deterministically
	metrics *metrics
	reg     *prometheus.Registry
}

// ErrNoRust is returned when impl=rust is asked of a build without the crate.
var ErrNoRust = errors.New("impl rust needs the rust build (hotswap-service-rust); this binary is the pure-Go baseline")

// New validates cfg and builds a server.
func New(cfg Config) (*Server, error) {
	if err := validate(cfg.Impl, cfg.RustSharePercent); err != nil {
		return nil, err
	}
	if hotspot.Available && hotspot.RuleCount() != len(kernel.Rules) {
		// Also compiles the Rust rules now rather than on the first request.
		return nil, fmt.Errorf("rust crate has %d scan rules, Go has %d: rebuild both", hotspot.RuleCount(), len(kernel.Rules))
	}
	reg := prometheus.NewRegistry()
	s := &Server{cfg: cfg, impl: cfg.Impl, share: cfg.RustSharePercent, reg: reg, metrics: newMetrics(reg)}
	s.metrics.setState(s.impl, s.share)
	return s, nil
}

func validate(impl string, share int) error {
	switch {
	case impl != "go" && impl != "rust":
		return fmt.Errorf("impl must be go or rust, got %q", impl)
	case impl == "rust" && !hotspot.Available:
		return ErrNoRust
	case share < 0 || share > 100:
		return fmt.Errorf("rust share must be 0..100, got %d", share)
	}
	return nil
}

// Handler routes every endpoint.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("POST /v1/scan", s.endpoint("scan", s.scan))
	mux.HandleFunc("POST /v1/fields", s.endpoint("fields", s.fields))
	mux.HandleFunc("GET /v1/orders/{id}", s.endpoint("orders", s.orders))
	mux.HandleFunc("POST /admin/hotspot", s.admin)
	return mux
}

// useRust decides for request number seq: with share p, exactly p of every 100 consecutive requests go
// to Rust, spread evenly (the Bresenham rule floor((seq+1)p/100) > floor(seq·p/100)).
func useRust(impl string, share int, seq uint64) bool {
	if impl != "rust" {
		return false
	}
	p := uint64(share)
	return (seq+1)*p/100 > seq*p/100
}

// result is what an endpoint computed; the wrapper writes it with the common headers and metrics.
type result struct {
	status   int
	body     []byte
	impl     string // go | rust | go-fallback
	hotspot  time.Duration
	cgoCalls int
}

type call struct {
	endpoint string
	seq      uint64
	rust     bool
	s        *Server
}

// fallback counts a failed Rust call.
func (c *call) fallback(err error) {
	c.s.metrics.fallbacks.WithLabelValues(c.endpoint, hotspot.Reason(err)).Inc()
}

func (s *Server) endpoint(name string, fn func(*call, http.ResponseWriter, *http.Request) result) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.RLock()
		impl, share := s.impl, s.share
		s.mu.RUnlock()
		c := &call{endpoint: name, seq: s.seq.Add(1) - 1, s: s}
		c.rust = useRust(impl, share, c.seq)
		res := fn(c, w, r)
		if res.impl == "" {
			res.impl = "go"
			if c.rust {
				res.impl = "rust"
			}
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-Hotspot-Impl", res.impl)
		h.Set("Server-Timing", fmt.Sprintf("hotspot;dur=%.3f", float64(res.hotspot)/float64(time.Millisecond)))
		w.WriteHeader(res.status)
		_, _ = w.Write(res.body)
		outcome := "ok"
		if res.status >= 500 {
			outcome = "server_error"
		} else if res.status >= 400 {
			outcome = "client_error"
		}
		s.metrics.requests.WithLabelValues(name, res.impl, outcome).Inc()
		if res.status < 400 {
			s.metrics.duration.WithLabelValues(name, res.impl).Observe(res.hotspot.Seconds())
		}
		if res.cgoCalls > 0 {
			s.metrics.cgoCalls.WithLabelValues(name).Add(float64(res.cgoCalls))
		}
	}
}

func errorBody(msg string) []byte {
	b, _ := json.Marshal(map[string]string{"error": msg})
	return append(b, '\n')
}

func clientError(status int, msg string) result {
	return result{status: status, body: errorBody(msg)}
}

// readBody reads at most MaxBodyBytes; over that it returns the 413 result.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *result) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		res := clientError(http.StatusRequestEntityTooLarge, fmt.Sprintf("body exceeds %d bytes", s.cfg.MaxBodyBytes))
		return nil, &res
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			res := clientError(http.StatusRequestEntityTooLarge, fmt.Sprintf("body exceeds %d bytes", s.cfg.MaxBodyBytes))
			return nil, &res
		}
		res := clientError(http.StatusBadRequest, "could not read body: "+err.Error())
		return nil, &res
	}
	return b, nil
}
