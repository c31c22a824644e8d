package server

import (
	"bytes"
	"time"

	"hotswap.local/service/internal/hotspot"
)

// errInjected is the failure a fault-injection drill gives a Rust call (POST /admin/hotspot faultRate).
// It has the crate's own injected code, so it is counted and falls back like any Rust error; the call
// does not cross into Rust.
var errInjected = &hotspot.Error{Code: -3}

// setFaultRate sets the injected failure share of Rust calls and restarts its sequence.
func (s *Server) setFaultRate(rate float64) {
	s.faultPPM.Store(uint64(rate*1e6 + 0.5))
	s.faultSeq.Store(0)
	s.metrics.faultRate.Set(rate)
}

func (s *Server) faultRate() float64 { return float64(s.faultPPM.Load()) / 1e6 }

// injected says whether this Rust call is one the drill makes fail: with rate r, exactly r of the
// Rust calls fail, spread evenly (the same rule as the Rust share, in parts per million).
func (s *Server) injected() bool {
	p := s.faultPPM.Load()
	if p == 0 {
		return false
	}
	k := s.faultSeq.Add(1) - 1
	return (k+1)*p/1e6 > k*p/1e6
}

// runRust is one request's Rust call: the drill's injected failure or the crossing itself.
func runRust[T any](c *call, res *result, rustFn func(*result) (T, error)) (T, error) {
	if c.s.injected() {
		var zero T
		return zero, errInjected
	}
	return rustFn(res)
}

// hot runs one request's hotspot work and fills res (status 200, body, impl, hotspot time):
//   - routed to Rust and the breaker allows it: Rust, with a fallback to Go when it fails (go-fallback),
//     the outcome going to the breaker;
//   - routed to Rust and the breaker is open: Go (go-breaker);
//   - routed to Go: Go; when picked for the shadow comparison, Rust runs too (in alternating order, so
//     neither always finds the caches warm), the two bodies are compared and Go's is answered.
//
// The hotspot time covers the kernel that answered only, never render.
func hot[T any](c *call, res *result, goFn func() T, rustFn func(*result) (T, error), render func(T) []byte) {
	s := c.s
	res.status = 200
	switch {
	case c.rust:
		tk, ok := s.breaker.Allow()
		if !ok {
			res.impl = "go-breaker"
			start := time.Now()
			out := goFn()
			res.hotspot = time.Since(start)
			res.body = render(out)
			return
		}
		start := time.Now()
		out, err := runRust(c, res, rustFn)
		if err != nil {
			c.fallback(err)
			res.impl = "go-fallback"
			out = goFn()
		}
		res.hotspot = time.Since(start)
		s.breaker.Done(tk, err != nil)
		res.body = render(out)
	case c.shadow:
		var g, r T
		var rerr error
		var gd, rd time.Duration
		runGo := func() { t := time.Now(); g = goFn(); gd = time.Since(t) }
		runR := func() { t := time.Now(); r, rerr = runRust(c, res, rustFn); rd = time.Since(t) }
		if c.seq%2 == 0 {
			runGo()
			runR()
		} else {
			runR()
			runGo()
		}
		res.hotspot = gd
		res.body = render(g)
		outcome := "match"
		if rerr != nil {
			outcome = "rust_error"
		} else if !bytes.Equal(res.body, render(r)) {
			outcome = "mismatch"
		}
		s.metrics.shadow.WithLabelValues(c.endpoint, outcome).Inc()
		s.metrics.shadowSeconds.WithLabelValues(c.endpoint, "go").Observe(gd.Seconds())
		if rerr == nil {
			s.metrics.shadowSeconds.WithLabelValues(c.endpoint, "rust").Observe(rd.Seconds())
		}
		res.shadow = outcome
	default:
		start := time.Now()
		out := goFn()
		res.hotspot = time.Since(start)
		res.body = render(out)
	}
}
