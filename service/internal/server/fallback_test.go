//go:build rusthotspot

package server

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"hotswap.local/service/internal/breaker"
	"hotswap.local/service/internal/hotspot"
)

// TestRustPanicsFallBackToGoWithZeroFailedRequests sends 300 requests to the Rust build with the
// test-only fault injection on; every tenth carries the panic trigger. All must answer 200 with the
// bytes the Go build answers, the triggered ones marked go-fallback and counted. The breaker is set
// never to open here (10 % errors would open the default one: see breaker_test.go).
func TestRustPanicsFallBackToGoWithZeroFailedRequests(t *testing.T) {
	hotspot.SetTestHooks(true)
	defer hotspot.SetTestHooks(false)
	rust := newTestServer(t, func(c *Config) {
		c.Impl = "rust"
		c.Breaker = breaker.Config{Window: time.Second, MinCalls: 1 << 30, ErrorRate: 1, OpenFor: time.Second, HalfOpenCalls: 1}
	}).Handler()
	goSrv := newTestServer(t, nil).Handler()
	failed, fallbacks := 0, 0
	for i := range 300 {
		var path, body string
		switch i % 3 {
		case 0:
			path, body = "/v1/scan", fmt.Sprintf("event %d from 10.0.0.%d", i, i%250)
		case 1:
			path, body = "/v1/fields", fmt.Sprintf(`{"a":"x%d@example.org","b":"%d"}`, i, i)
		case 2:
			path, body = "/v1/fields?batch=1", fmt.Sprintf(`{"a":"x%d@example.org","b":"%d"}`, i, i)
		}
		if i%10 == 0 {
			body = strings.Replace(body, "x", "HOTSWAP-TEST-PANIC", 1)
			body = strings.Replace(body, "event", "HOTSWAP-TEST-PANIC", 1)
		}
		got, want := do(rust, "POST", path, body, nil), do(goSrv, "POST", path, body, nil)
		if got.Code != 200 || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			failed++
			t.Errorf("request %d: %d %q, go says %q", i, got.Code, got.Body, want.Body)
		}
		impl := got.Header().Get("X-Hotspot-Impl")
		if (i%10 == 0) != (impl == "go-fallback") {
			t.Errorf("request %d served by %s", i, impl)
		}
		if impl == "go-fallback" {
			fallbacks++
		}
	}
	metrics := do(rust, "GET", "/metrics", "", nil).Body.String()
	if failed != 0 || fallbacks != 30 || !strings.Contains(metrics, `hotswap_fallbacks_total{endpoint="scan",reason="panic"} 10`) {
		t.Fatalf("failed=%d fallbacks=%d", failed, fallbacks)
	}
}

func TestGoAndRustServersAnswerIdenticalBytes(t *testing.T) {
	rust := newTestServer(t, func(c *Config) { c.Impl = "rust" }).Handler()
	goSrv := newTestServer(t, nil).Handler()
	reqs := []struct{ method, path, body string }{
		{"POST", "/v1/scan", "pay 4111 1111 1111 1111 ada@example.org \xff fe80::1"},
		{"POST", "/v1/scan", ""},
		{"POST", "/v1/fields", `{"a":" A@B.CO ","b":"café  au  lait","c":"\u0001"}`},
		{"POST", "/v1/fields?batch=1", `{"a":" A@B.CO ","b":"café  au  lait"}`},
		{"GET", "/v1/orders/abc-123", ""},
	}
	for _, r := range reqs {
		a, b := do(rust, r.method, r.path, r.body, nil), do(goSrv, r.method, r.path, r.body, nil)
		if a.Header().Get("X-Hotspot-Impl") != "rust" || a.Code != 200 || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
			t.Errorf("%s %s: rust %d %s %q, go %q", r.method, r.path, a.Code, a.Header().Get("X-Hotspot-Impl"), a.Body, b.Body)
		}
	}
	m := do(rust, "GET", "/metrics", "", nil).Body.String()
	if !strings.Contains(m, `hotswap_cgo_calls_total{endpoint="fields"} 4`) {
		t.Errorf("per-field calls should cross 3 times, batch once; metrics:\n%s", grep(m, "cgo_calls"))
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
