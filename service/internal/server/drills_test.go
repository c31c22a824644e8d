//go:build rusthotspot

package server

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"hotswap.local/service/internal/breaker"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestFaultDrillTripsTheBreakerAndRecoversWithZeroFailedRequests runs the drill of issue 12 in process
// with a fake clock: 50 % injected Rust errors open the breaker once 20 calls are in the window (Go
// serves, go-breaker), the open time passes, the fault is cleared, the half-open trials succeed and Rust
// serves again. Every response is 200 with Go's bytes.
func TestFaultDrillTripsTheBreakerAndRecoversWithZeroFailedRequests(t *testing.T) {
	clk := &clock{t: time.Unix(2_000_000, 0)}
	srv := newTestServer(t, func(c *Config) {
		c.Impl, c.AllowFaultInjection, c.Now = "rust", true, clk.now
		c.Breaker = breaker.Config{Window: 10 * time.Second, MinCalls: 20, ErrorRate: 0.05, OpenFor: 30 * time.Second, HalfOpenCalls: 3}
	})
	h, goSrv := srv.Handler(), newTestServer(t, nil).Handler()
	served := map[string]int{}
	send := func(n int) {
		for i := range n {
			body := fmt.Sprintf("event %d from 10.0.0.%d ada@example.org", i, i%250)
			got, want := do(h, "POST", "/v1/scan", body, nil), do(goSrv, "POST", "/v1/scan", body, nil)
			if got.Code != 200 || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
				t.Fatalf("request failed: %d %q", got.Code, got.Body)
			}
			served[got.Header().Get("X-Hotspot-Impl")]++
			clk.add(10 * time.Millisecond)
		}
	}
	if rec := do(h, "POST", "/admin/hotspot", `{"faultRate":0.5}`, auth); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"faultRate":0.5`) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	send(20)
	// Of the first 20 Rust calls, 10 failed; the breaker opened at the 20th, Go served them all.
	if served["rust"] != 10 || served["go-fallback"] != 10 || srv.breaker.State() != breaker.Open {
		t.Fatalf("served %v, state %v", served, srv.breaker.State())
	}
	send(50)
	if served["go-breaker"] != 50 {
		t.Fatalf("while open: served %v", served)
	}
	m := do(h, "GET", "/metrics", "", nil).Body.String()
	for _, want := range []string{"hotswap_breaker_state 1", `hotswap_breaker_transitions_total{to="open"} 1`,
		`hotswap_fallbacks_total{endpoint="scan",reason="injected"} 10`, "hotswap_fault_rate 0.5",
		`http_request_duration_seconds_count{endpoint="scan",impl="go-breaker"} 50`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s:\n%s", want, grep(m, "breaker"))
		}
	}
	if rec := do(h, "GET", "/admin/hotspot", "", auth); !strings.Contains(rec.Body.String(), `"state":"open"`) {
		t.Errorf("GET /admin/hotspot: %s", rec.Body)
	}
	do(h, "POST", "/admin/hotspot", `{"faultRate":0}`, auth)
	clk.add(30 * time.Second)
	// A scrape alone moves it to half-open once the open time is up.
	if m := do(h, "GET", "/metrics", "", nil).Body.String(); !strings.Contains(m, "hotswap_breaker_state 2\n") {
		t.Errorf("after the open time, before any request:\n%s", grep(m, "breaker"))
	}
	send(10)
	// Three trials on Rust close it; the rest are Rust again.
	if srv.breaker.State() != breaker.Closed || served["rust"] != 20 || served["go-breaker"] != 50 {
		t.Fatalf("after clearing: served %v, state %v", served, srv.breaker.State())
	}
	m = do(h, "GET", "/metrics", "", nil).Body.String()
	for _, want := range []string{"hotswap_breaker_state 0", `hotswap_breaker_transitions_total{to="half_open"} 1`,
		`hotswap_breaker_transitions_total{to="closed"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s:\n%s", want, grep(m, "breaker"))
		}
	}
}

func TestAHalfOpenTrialThatFailsReopensTheBreaker(t *testing.T) {
	clk := &clock{t: time.Unix(2_000_000, 0)}
	srv := newTestServer(t, func(c *Config) {
		c.Impl, c.AllowFaultInjection, c.Now = "rust", true, clk.now
		c.Breaker = breaker.Config{Window: 10 * time.Second, MinCalls: 4, ErrorRate: 0.5, OpenFor: 5 * time.Second, HalfOpenCalls: 2}
	})
	h := srv.Handler()
	do(h, "POST", "/admin/hotspot", `{"faultRate":1}`, auth)
	for range 4 {
		do(h, "GET", "/v1/orders/1", "", nil)
	}
	clk.add(5 * time.Second)
	if rec := do(h, "GET", "/v1/orders/1", "", nil); rec.Code != 200 || rec.Header().Get("X-Hotspot-Impl") != "go-fallback" {
		t.Fatalf("trial call: %d %s", rec.Code, rec.Header().Get("X-Hotspot-Impl"))
	}
	if srv.breaker.State() != breaker.Open {
		t.Fatalf("state %v after a failed trial", srv.breaker.State())
	}
	if rec := do(h, "GET", "/v1/orders/1", "", nil); rec.Header().Get("X-Hotspot-Impl") != "go-breaker" {
		t.Fatalf("after re-opening: %s", rec.Header().Get("X-Hotspot-Impl"))
	}
}

// TestShadowModeComparesOnTheShareAndAnswersGo: impl=go with -shadow-percent 50 shadows every other
// request (Rust runs, Go answers); outputs match; an injected Rust failure counts as rust_error and
// still answers Go's bytes.
func TestShadowModeComparesOnTheShareAndAnswersGo(t *testing.T) {
	srv := newTestServer(t, func(c *Config) { c.ShadowPercent, c.AllowFaultInjection = 50, true })
	h, goSrv := srv.Handler(), newTestServer(t, nil).Handler()
	reqs := []struct{ method, path, body string }{
		{"POST", "/v1/scan", "pay 4111 1111 1111 1111 ada@example.org \xff fe80::1"},
		{"POST", "/v1/fields", `{"a":" A@B.CO ","b":"café  au  lait","c":"\u0001"}`},
		{"POST", "/v1/fields?batch=1", `{"a":" A@B.CO ","b":"x"}`},
		{"GET", "/v1/orders/abc-123", ""},
	}
	shadowed := 0
	for i := range 40 {
		r := reqs[(i/2)%len(reqs)] // each request twice in a row: one of the two is shadowed
		got, want := do(h, r.method, r.path, r.body, nil), do(goSrv, r.method, r.path, r.body, nil)
		if got.Code != 200 || got.Header().Get("X-Hotspot-Impl") != "go" || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			t.Fatalf("%s: %d %s %q", r.path, got.Code, got.Header().Get("X-Hotspot-Impl"), got.Body)
		}
		if o := got.Header().Get("X-Hotspot-Shadow"); o != "" {
			shadowed++
			if o != "match" {
				t.Errorf("%s: shadow %s", r.path, o)
			}
		}
	}
	if shadowed != 20 {
		t.Fatalf("%d of 40 shadowed at 50 %%", shadowed)
	}
	do(h, "POST", "/admin/hotspot", `{"faultRate":1}`, auth)
	do(h, "POST", "/v1/scan", "x", nil)
	if rec := do(h, "POST", "/v1/scan", "x", nil); rec.Header().Get("X-Hotspot-Shadow") != "rust_error" || rec.Code != 200 {
		t.Fatalf("injected shadow failure: %d %q", rec.Code, rec.Header().Get("X-Hotspot-Shadow"))
	}
	m := do(h, "GET", "/metrics", "", nil).Body.String()
	for _, want := range []string{`hotswap_shadow_total{endpoint="scan",outcome="match"} 5`,
		`hotswap_shadow_total{endpoint="fields",outcome="match"} 10`, `hotswap_shadow_total{endpoint="orders",outcome="match"} 5`,
		`hotswap_shadow_total{endpoint="scan",outcome="rust_error"} 1`, `hotswap_shadow_total{endpoint="scan",outcome="mismatch"} 0`,
		`hotswap_shadow_seconds_count{endpoint="scan",impl="go"} 6`, `hotswap_shadow_seconds_count{endpoint="scan",impl="rust"} 5`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s:\n%s", want, grep(m, "shadow"))
		}
	}
}
