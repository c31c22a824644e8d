//go:build rusthotspot

package server

import (
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkEndpoint measures whole requests through the handler (routing, body read, JSON, kernel),
// Go against Rust; the orders case includes its ~20 ms simulated downstream, so the two must tie.
func BenchmarkEndpoint(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	var scan strings.Builder
	for scan.Len() < 16<<10 {
		fmt.Fprintf(&scan, `{"level":"info","msg":"user %d@example.org from 10.0.%d.%d paid 4111 1111 1111 1111"}`+"\n", r.IntN(1000), r.IntN(256), r.IntN(256))
	}
	fields := `{"email":" Ada@Example.ORG ","phone":"+1 (415) 555-0100","a":"1","b":"x y","c":"-2.5","d":"GB","e":"London",` +
		`"f":"analyst","g":"EUR","h":"en-GB","i":"7","j":"ok","k":"x@y.io","l":"415.555.0100","m":"note","n":"42",` +
		`"o":"true","p":"SW1Y 4JH","q":"Ada","r":"Lovelace"}`
	cases := []struct{ name, method, path, body string }{
		{"scan16KB", "POST", "/v1/scan", scan.String()},
		{"fields", "POST", "/v1/fields", fields},
		{"fieldsBatch", "POST", "/v1/fields?batch=1", fields},
		{"orders", "GET", "/v1/orders/42", ""},
	}
	for _, c := range cases {
		for _, impl := range []string{"go", "rust"} {
			h := newTestServer(b, func(cfg *Config) { cfg.Impl = impl; cfg.DownstreamMs = 20 }).Handler()
			b.Run(fmt.Sprintf("endpoint=%s/impl=%s", c.name, impl), func(b *testing.B) {
				for b.Loop() {
					req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Fatal(rec.Code)
					}
				}
			})
		}
	}
}
