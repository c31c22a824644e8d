// Package server is the reference service's HTTP layer: the /v1 endpoints around the hotspot kernels,
// the implementation switch (Go or Rust, and a share of requests sent to Rust), the loopback-only admin
// endpoint, and the metrics. Responses are built here from the kernels' results, so both
// implementations answer byte-identical bodies.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hotswap.local/service/internal/breaker"
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
	// Breaker guards the Rust path; the zero value means breaker.Defaults.
	Breaker breaker.Config
	// AllowFaultInjection lets POST /admin/hotspot set {"faultRate": …} (drills); off by default.
	AllowFaultInjection bool
	// ShadowPercent of the requests routed to Go also run Rust, compared, Go answering (0..100).
	ShadowPercent int
	// Now is the breaker's clock; nil means time.Now.
	Now func() time.Time
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
	breaker *breaker.Breaker
	// faultPPM is the injected failure share of Rust calls in parts per million; faultSeq numbers the
	// Rust calls since it was last set, so exactly that share fails, spread evenly.
	faultPPM  atomic.Uint64
	faultSeq  atomic.Uint64
	shadowSeq atomic.Uint64 // numbers the Go-routed requests; picks the shadowed ones evenly
}

// ErrNoRust is returned when impl=rust is asked of a build without the crate.
var ErrNoRust = errors.New("impl rust needs the rust build (hotswap-service-rust); this binary is the pure-Go baseline")

// New validates cfg and builds a server.
func New(cfg Config) (*Server, error) {
	if err := validate(cfg.Impl, cfg.RustSharePercent); err != nil {
		return nil, err
	}
	if cfg.ShadowPercent < 0 || cfg.ShadowPercent > 100 {
		return nil, fmt.Errorf("shadow percent must be 0..100, got %d", cfg.ShadowPercent)
	}
	if cfg.ShadowPercent > 0 && !hotspot.Available {
		return nil, errors.New("shadow mode runs Rust beside Go: it needs the rust build (hotswap-service-rust)")
	}
	if cfg.Breaker == (breaker.Config{}) {
		cfg.Breaker = breaker.Defaults
	}
	if err := validateBreaker(cfg.Breaker); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if hotspot.Available && hotspot.RuleCount() != len(kernel.Rules) {
		// Also compiles the Rust rules now rather than on the first request.
		return nil, fmt.Errorf("rust crate has %d scan rules, Go has %d: rebuild both", hotspot.RuleCount(), len(kernel.Rules))
	}
	reg := prometheus.NewRegistry()
	s := &Server{cfg: cfg, impl: cfg.Impl, share: cfg.RustSharePercent, reg: reg, metrics: newMetrics(reg)}
	s.metrics.setState(s.impl, s.share)
	s.breaker = breaker.New(cfg.Breaker, cfg.Now, func(_, to breaker.State) {
		s.metrics.breakerTransitions.WithLabelValues(to.String()).Inc()
	})
	// Read at scrape time, so an open breaker whose time is up shows half-open (and counts the
	// transition) even before the next Rust-routed request arrives.
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "hotswap_breaker_state", Help: "State of the breaker around the Rust path: 0 closed, 1 open, 2 half-open.",
	}, func() float64 { return float64(s.breaker.State()) }))
	return s, nil
}

func validateBreaker(b breaker.Config) error {
	switch {
	case b.Window <= 0:
		return fmt.Errorf("breaker window must be positive, got %v", b.Window)
	case b.MinCalls < 1:
		return fmt.Errorf("breaker min calls must be at least 1, got %d", b.MinCalls)
	case !(b.ErrorRate > 0 && b.ErrorRate <= 1):
		return fmt.Errorf("breaker error rate must be in (0, 1], got %v", b.ErrorRate)
	case b.OpenFor <= 0:
		return fmt.Errorf("breaker open-for must be positive, got %v", b.OpenFor)
	case b.HalfOpenCalls < 1:
		return fmt.Errorf("breaker half-open calls must be at least 1, got %d", b.HalfOpenCalls)
	}
	return nil
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
	mux.HandleFunc("GET /admin/hotspot", s.admin)
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
	status     int
	body       []byte
	impl       string // go | rust | go-fallback | go-breaker
	hotspot    time.Duration
	downstream time.Duration // orders: the simulated downstream wait (Server-Timing downstream)
	cgoCalls   int
	shadow     string // shadow comparison outcome: match | mismatch | rust_error ("" when not shadowed)
}

type call struct {
	endpoint string
	seq      uint64
	rust     bool // the routing (impl and share) sent this request's hotspot work to Rust
	shadow   bool // routed to Go and picked for the shadow comparison: Rust runs beside Go
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
		start := time.Now()
		c := &call{endpoint: name, seq: s.seq.Add(1) - 1, s: s}
		c.rust = useRust(impl, share, c.seq)
		if !c.rust && s.cfg.ShadowPercent > 0 {
			c.shadow = useRust("rust", s.cfg.ShadowPercent, s.shadowSeq.Add(1)-1)
		}
		var res result
		// The pprof label attributes this request's CPU samples (Go and, through cgo, Rust) to the endpoint.
		pprof.Do(r.Context(), pprof.Labels("endpoint", name), func(ctx context.Context) {
			res = fn(c, w, r.WithContext(ctx))
		})
		if res.impl == "" {
			res.impl = "go"
			if c.rust {
				res.impl = "rust"
			}
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-Hotspot-Impl", res.impl)
		if res.shadow != "" {
			h.Set("X-Hotspot-Shadow", res.shadow)
		}
		timing := fmt.Sprintf("hotspot;dur=%.3f", ms(res.hotspot))
		if name == "orders" && res.status < 400 {
			timing += fmt.Sprintf(", downstream;dur=%.3f", ms(res.downstream))
		}
		h.Set("Server-Timing", timing)
		w.WriteHeader(res.status)
		_, _ = w.Write(res.body)
		s.metrics.httpDuration.WithLabelValues(name, res.impl).Observe(time.Since(start).Seconds())
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

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

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
