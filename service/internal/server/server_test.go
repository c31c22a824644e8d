package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"hotswap.local/service/internal/hotspot"
)

// auth is the admin header for newTestServer's token.
var auth = map[string]string{"Authorization": "Bearer s3cret"}

func newTestServer(t testing.TB, mutate func(*Config)) *Server {
	t.Helper()
	cfg := Config{Impl: "go", RustSharePercent: 100, AdminToken: "s3cret", MaxBodyBytes: 1 << 20, Seed: 1}
	if mutate != nil {
		mutate(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func do(h http.Handler, method, target, body string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = "127.0.0.1:40000"
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestUseRustSendsExactlyTheSharePerHundredRequests(t *testing.T) {
	for _, share := range []int{0, 1, 33, 50, 99, 100} {
		for _, start := range []uint64{0, 100, 12345} {
			n := 0
			for seq := start; seq < start+100; seq++ {
				if useRust("rust", share, seq) {
					n++
				}
			}
			// A window of 100 starting anywhere holds share or share±1 (the rule spreads evenly).
			if n < share-1 || n > share+1 || (start%100 == 0 && n != share) {
				t.Errorf("share %d from %d: %d of 100 went to Rust", share, start, n)
			}
		}
	}
	for seq := range uint64(1000) {
		if useRust("go", 100, seq) {
			t.Fatal("impl=go sent a request to Rust")
		}
	}
}

func TestEveryV1ResponseCarriesImplAndServerTiming(t *testing.T) {
	h := newTestServer(t, nil).Handler()
	timing := regexp.MustCompile(`^hotspot;dur=\d+\.\d{3}$`)
	for _, rec := range []*httptest.ResponseRecorder{
		do(h, "POST", "/v1/scan", "ada@example.org", nil),
		do(h, "POST", "/v1/fields", `{"a":"b"}`, nil),
		do(h, "POST", "/v1/fields", `{`, nil),
	} {
		if rec.Header().Get("X-Hotspot-Impl") != "go" || !timing.MatchString(rec.Header().Get("Server-Timing")) {
			t.Errorf("headers %v", rec.Header())
		}
	}
}

func TestOrdersServerTimingSaysTheDownstreamWait(t *testing.T) {
	h := newTestServer(t, func(c *Config) { c.DownstreamMs = 30 }).Handler()
	rec := do(h, "GET", "/v1/orders/7", "", nil)
	m := regexp.MustCompile(`^hotspot;dur=\d+\.\d{3}, downstream;dur=(\d+\.\d{3})$`).FindStringSubmatch(rec.Header().Get("Server-Timing"))
	if m == nil {
		t.Fatalf("Server-Timing %q", rec.Header().Get("Server-Timing"))
	}
	// The wait is the seeded draw for seq 0 (log-normal around 30 ms), measured: at least the draw.
	want := downstreamWait(1, 0, 30)
	var got float64
	if _, err := fmt.Sscanf(m[1], "%f", &got); err != nil || got < ms(want) || got > ms(want)+200 {
		t.Fatalf("downstream dur %s ms, the draw was %v", m[1], want)
	}
}

func TestBodiesOverTheLimitGet413WithAJSONError(t *testing.T) {
	h := newTestServer(t, func(c *Config) { c.MaxBodyBytes = 100 }).Handler()
	for _, path := range []string{"/v1/scan", "/v1/fields"} {
		rec := do(h, "POST", path, strings.Repeat("x", 101), nil)
		// Chunked (no Content-Length): the limit must still hold while reading.
		req := httptest.NewRequest("POST", path, io.MultiReader(strings.NewReader(strings.Repeat("y", 101))))
		req.ContentLength = -1
		rec2 := httptest.NewRecorder()
		h.ServeHTTP(rec2, req)
		for _, r := range []*httptest.ResponseRecorder{rec, rec2} {
			var e map[string]string
			if r.Code != 413 || json.Unmarshal(r.Body.Bytes(), &e) != nil || e["error"] == "" {
				t.Errorf("%s: %d %q", path, r.Code, r.Body)
			}
		}
	}
	if rec := do(h, "POST", "/v1/scan", strings.Repeat("x", 100), nil); rec.Code != 200 {
		t.Errorf("a body of exactly the limit got %d", rec.Code)
	}
}

func TestMalformedOrWrongShapedJSONGets400(t *testing.T) {
	h := newTestServer(t, nil).Handler()
	for _, body := range []string{"", "{", `{"a":1}`, "[1,2]", "null", `{"a":"b"} trailing`, "\xff"} {
		rec := do(h, "POST", "/v1/fields", body, nil)
		var e map[string]string
		if rec.Code != 400 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e["error"] == "" {
			t.Errorf("body %q: %d %q", body, rec.Code, rec.Body)
		}
	}
}

func TestScanNeverFailsOnArbitraryBytes(t *testing.T) {
	h := newTestServer(t, nil).Handler()
	r := rand.New(rand.NewPCG(7, 7))
	for range 200 {
		b := make([]byte, r.IntN(3000))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		rec := do(h, "POST", "/v1/scan", string(b), nil)
		if rec.Code != 200 || !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%d %q", rec.Code, rec.Body)
		}
	}
}

func TestAdminGuard(t *testing.T) {
	auth := map[string]string{"Authorization": "Bearer s3cret"}
	cases := []struct {
		name   string
		token  string
		remote string
		hdr    map[string]string
		want   int
	}{
		{"non-loopback peer with the right token", "s3cret", "203.0.113.9:4000", auth, 403},
		{"no token configured", "", "127.0.0.1:4000", auth, 403},
		{"missing bearer token", "s3cret", "127.0.0.1:4000", nil, 401},
		{"wrong bearer token", "s3cret", "[::1]:4000", map[string]string{"Authorization": "Bearer nope"}, 401},
		{"right token on loopback", "s3cret", "[::1]:4000", auth, 200},
	}
	for _, c := range cases {
		h := newTestServer(t, func(cfg *Config) { cfg.AdminToken = c.token }).Handler()
		req := httptest.NewRequest("POST", "/admin/hotspot", strings.NewReader(`{"rustSharePercent":40}`))
		req.RemoteAddr = c.remote
		for k, v := range c.hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: got %d %q, want %d", c.name, rec.Code, rec.Body, c.want)
		}
	}
}

func TestAdminChangesStateLiveAndRejectsBadValues(t *testing.T) {
	s := newTestServer(t, nil)
	h := s.Handler()
	auth := map[string]string{"Authorization": "Bearer s3cret"}
	rec := do(h, "POST", "/admin/hotspot", `{"rustSharePercent":40}`, auth)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"rustSharePercent":40`) {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
	for _, body := range []string{`{"rustSharePercent":101}`, `{"impl":"java"}`, `{"bogus":1}`, `{`} {
		if rec := do(h, "POST", "/admin/hotspot", body, auth); rec.Code != 400 {
			t.Errorf("%s: %d", body, rec.Code)
		}
	}
	rec = do(h, "POST", "/admin/hotspot", `{"impl":"rust"}`, auth)
	if hotspot.Available != (rec.Code == 200) {
		t.Errorf("impl=rust with Available=%v answered %d", hotspot.Available, rec.Code)
	}
	metrics := do(h, "GET", "/metrics", "", nil).Body.String()
	if !strings.Contains(metrics, "hotswap_rust_share 40") {
		t.Error("the share gauge did not follow the admin change")
	}
}

func TestMetricsExposeTheContractNames(t *testing.T) {
	h := newTestServer(t, nil).Handler()
	do(h, "POST", "/v1/scan", "x", nil)
	body := do(h, "GET", "/metrics", "", nil).Body.String()
	for _, name := range []string{
		"process_cpu_seconds_total", "process_resident_memory_bytes", "go_memstats_alloc_bytes_total",
		"go_gc_pauses_seconds_bucket", `hotswap_requests_total{endpoint="scan",impl="go",outcome="ok"} 1`,
		`hotswap_hotspot_duration_seconds_bucket{endpoint="scan",impl="go"`, "hotswap_fallbacks_total",
		"hotswap_rust_alloc_bytes_total", `hotswap_cgo_calls_total{endpoint="scan"}`, "hotswap_rust_share",
		`hotswap_impl_info{impl="go"} 1`,
	} {
		if !strings.Contains(body, name) {
			t.Errorf("metrics lack %s", name)
		}
	}
}

func TestDownstreamWaitIsSeededWithA20msMedian(t *testing.T) {
	var waits []time.Duration
	for seq := range uint64(2001) {
		waits = append(waits, downstreamWait(1, seq, 20))
	}
	if downstreamWait(1, 5, 20) != waits[5] || downstreamWait(2, 5, 20) == waits[5] {
		t.Fatal("the wait is not a function of (seed, seq)")
	}
	slices.Sort(waits)
	if med := waits[1000]; med < 19*time.Millisecond || med > 21*time.Millisecond {
		t.Fatalf("median wait %v, want ~20ms", med)
	}
}

func TestFieldsBatchAndPerFieldAnswerTheSameBytes(t *testing.T) {
	h := newTestServer(t, nil).Handler()
	body := `{"email":" Ada@Example.ORG ","phone":"+1 (415) 555-0100","n":"-1.5","t":" a  b ","e":"  "}`
	a, b := do(h, "POST", "/v1/fields", body, nil), do(h, "POST", "/v1/fields?batch=1", body, nil)
	if a.Code != 200 || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
		t.Fatalf("%d %q vs %q", a.Code, a.Body, b.Body)
	}
	want := `{"fields":{"e":{"value":"","kind":"empty","valid":false},"email":{"value":"ada@example.org","kind":"email","valid":true},"n":{"value":"-1.5","kind":"number","valid":true},"phone":{"value":"+14155550100","kind":"phone","valid":true},"t":{"value":"a b","kind":"text","valid":true}},"valid":4,"invalid":1}` + "\n"
	if a.Body.String() != want {
		t.Fatalf("got %s", a.Body)
	}
}
