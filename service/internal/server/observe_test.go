package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"hotswap.local/service/internal/hotspot"
)

func TestFaultInjectionIsRefusedWith403UnlessAllowed(t *testing.T) {
	h := newTestServer(t, nil).Handler()
	rec := do(h, "POST", "/admin/hotspot", `{"faultRate":0.5}`, auth)
	var e map[string]string
	if rec.Code != 403 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || !strings.Contains(e["error"], "-allow-fault-injection") {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
	if m := do(h, "GET", "/metrics", "", nil).Body.String(); !strings.Contains(m, "hotswap_fault_rate 0\n") {
		t.Error("a refused fault rate changed the gauge")
	}
	allowed := newTestServer(t, func(c *Config) { c.AllowFaultInjection = true }).Handler()
	for body, want := range map[string]int{`{"faultRate":0.25}`: 200, `{"faultRate":1.5}`: 400, `{"faultRate":-0.1}`: 400} {
		if rec := do(allowed, "POST", "/admin/hotspot", body, auth); rec.Code != want {
			t.Errorf("%s: %d %q", body, rec.Code, rec.Body)
		}
	}
}

func TestGetAdminHotspotAnswersTheStateBehindTheToken(t *testing.T) {
	h := newTestServer(t, func(c *Config) { c.RustSharePercent = 30 }).Handler()
	if rec := do(h, "GET", "/admin/hotspot", "", nil); rec.Code != 401 {
		t.Fatalf("without a token: %d", rec.Code)
	}
	rec := do(h, "GET", "/admin/hotspot", "", auth)
	var st struct {
		Impl             string
		RustSharePercent int
		FaultRate        float64
		Breaker          struct{ State string }
		BreakerMinCalls  int
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &st) != nil {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
	if st.Impl != "go" || st.RustSharePercent != 30 || st.Breaker.State != "closed" || st.BreakerMinCalls != 20 {
		t.Fatalf("state %+v from %s", st, rec.Body)
	}
}

func TestShadowModeNeedsTheRustBuildAndAValidPercent(t *testing.T) {
	for _, p := range []int{-1, 101} {
		if _, err := New(Config{Impl: "go", ShadowPercent: p, MaxBodyBytes: 1}); err == nil {
			t.Errorf("shadow %d accepted", p)
		}
	}
	if _, err := New(Config{Impl: "go", ShadowPercent: 10, MaxBodyBytes: 1}); (err == nil) != hotspot.Available {
		t.Errorf("shadow on a build with Available=%v: %v", hotspot.Available, err)
	}
}

func TestRequestDurationHistogramHasEveryEndpointAndImpl(t *testing.T) {
	h := newTestServer(t, nil).Handler()
	do(h, "POST", "/v1/scan", "x", nil)
	do(h, "POST", "/v1/fields", "{", nil)
	do(h, "GET", "/v1/orders/1", "", nil)
	m := do(h, "GET", "/metrics", "", nil).Body.String()
	for _, want := range []string{
		`http_request_duration_seconds_bucket{endpoint="scan",impl="go",le="0.05"} 1`,
		`http_request_duration_seconds_count{endpoint="fields",impl="go"} 1`,
		`http_request_duration_seconds_count{endpoint="orders",impl="go"} 1`,
		`hotswap_requests_total{endpoint="fields",impl="go",outcome="client_error"} 1`,
		`hotswap_requests_total{endpoint="scan",impl="go-breaker",outcome="ok"} 0`,
		"hotswap_breaker_state 0", `hotswap_breaker_transitions_total{to="open"} 0`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// histogramQuantile is Prometheus's histogram_quantile over cumulative bucket counts (linear
// interpolation inside the bucket, the lowest bucket starting at 0).
func histogramQuantile(q float64, bounds []float64, cum []float64) float64 {
	rank := q * cum[len(cum)-1]
	i := sort.Search(len(cum), func(i int) bool { return cum[i] >= rank })
	if i == len(bounds) {
		return bounds[len(bounds)-1]
	}
	lo, below := 0.0, 0.0
	if i > 0 {
		lo, below = bounds[i-1], cum[i-1]
	}
	return lo + (bounds[i]-lo)*(rank-below)/(cum[i]-below)
}

// TestLatencyBucketsReadP99WithinAFewPercent: for log-normal latencies whose p99 spans the range the
// plans' SLOs care about (1 to 100 ms), the p99 read through histogram_quantile from these buckets is
// within 2 % of the exact sample p99 (the bound by bucket width is 5 %), and the bounds rise strictly.
func TestLatencyBucketsReadP99WithinAFewPercent(t *testing.T) {
	b := LatencyBuckets
	if !slices.IsSorted(b) || b[0] != 50e-6 || b[len(b)-1] < 10 {
		t.Fatalf("buckets %v", b)
	}
	r := rand.New(rand.NewPCG(11, 12))
	worst := 0.0
	for _, median := range []float64{0.5e-3, 1e-3, 3e-3, 8e-3, 20e-3, 35e-3, 50e-3} {
		for _, sigma := range []float64{0.1, 0.3, 0.6} {
			xs := make([]float64, 20000)
			cum := make([]float64, len(b)+1)
			for i := range xs {
				xs[i] = median * math.Exp(sigma*r.NormFloat64())
				j := sort.SearchFloat64s(b, xs[i]) // first bound ≥ x: the bucket le=b[j]
				cum[j]++
			}
			for j := 1; j < len(cum); j++ {
				cum[j] += cum[j-1]
			}
			slices.Sort(xs)
			exact := xs[int(math.Ceil(0.99*float64(len(xs))))-1]
			if exact < 1e-3 || exact > 0.1 {
				continue
			}
			got := histogramQuantile(0.99, b, cum[:len(b)])
			worst = max(worst, math.Abs(got/exact-1))
		}
	}
	t.Logf("worst relative p99 error over the cases: %.2f %%", 100*worst)
	if worst > 0.02 {
		t.Fatalf("p99 through histogram_quantile off by %.1f %%", 100*worst)
	}
}

// TestHandlersCarryTheEndpointPprofLabel takes a real CPU profile while the scan and then the fields
// endpoint are busy (on Go, and on Rust in the rust build) and checks that the samples in the kernels
// carry endpoint=scan|fields; in the rust build the Rust samples (under runtime.cgocall) carry it too.
func TestHandlersCarryTheEndpointPprofLabel(t *testing.T) {
	impls := []string{"go"}
	if hotspot.Available {
		impls = append(impls, "rust")
	}
	for _, impl := range impls {
		h := newTestServer(t, func(c *Config) { c.Impl = impl }).Handler()
		var buf bytes.Buffer
		if err := pprof.StartCPUProfile(&buf); err != nil {
			t.Skipf("a CPU profile is already running: %v", err)
		}
		scanBody := strings.Repeat("login ada@example.org from 10.0.0.1 card 4111 1111 1111 1111\n", 400)
		var fb strings.Builder
		for i := range 100 {
			fmt.Fprintf(&fb, `%s"f%d":" Ada%d@Example.ORG  x  y "`, map[bool]string{true: "{", false: ","}[i == 0], i, i)
		}
		fieldsBody := fb.String() + "}"
		// Each phase runs until this process used 400 ms of CPU (about 40 samples at 100 Hz), however
		// loaded the machine is, or 20 s of wall time.
		busy(t, func() { do(h, "POST", "/v1/scan", scanBody, nil) })
		busy(t, func() { do(h, "POST", "/v1/fields", fieldsBody, nil) })
		pprof.StopCPUProfile()
		p, err := profile.Parse(&buf)
		if err != nil {
			t.Fatal(err)
		}
		// Every sample inside a handler carries that handler's label; in the rust build so does every
		// sample in Rust (under runtime.cgocall).
		counts := map[string]map[string]int{}
		for _, s := range p.Sample {
			label := strings.Join(s.Label["endpoint"], ",")
			for _, where := range []string{"(*Server).scan", "(*Server).fields", "runtime.cgocall"} {
				if sampleIn(s, where) {
					if counts[where] == nil {
						counts[where] = map[string]int{}
					}
					counts[where][label]++
				}
			}
		}
		t.Logf("%s: %d samples (400 ms of process CPU per endpoint); label counts by frame: %v", impl, len(p.Sample), counts)
		scan, fields := counts["(*Server).scan"], counts["(*Server).fields"]
		if scan["scan"] < 5 || fields["fields"] < 5 || len(scan) != 1 || len(fields) != 1 {
			t.Fatalf("%s: handler samples by label %v", impl, counts)
		}
		if cg := counts["runtime.cgocall"]; impl == "rust" && (cg["scan"] < 3 || cg[""] != 0) {
			t.Fatalf("rust samples by label %v", cg)
		}
	}
}

func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func busy(t *testing.T, fn func()) {
	start, deadline := cpuTime(t), time.Now().Add(20*time.Second)
	for cpuTime(t)-start < 400*time.Millisecond && time.Now().Before(deadline) {
		fn()
	}
}

func sampleIn(s *profile.Sample, fn string) bool {
	for _, loc := range s.Location {
		for _, line := range loc.Line {
			if strings.Contains(line.Function.Name, fn) {
				return true
			}
		}
	}
	return false
}

// The label is on the request context too, so code called with it (and profiles) see it.
func TestTheEndpointLabelIsOnTheRequestContext(t *testing.T) {
	s := newTestServer(t, nil)
	var got string
	fn := s.endpoint("orders", func(_ *call, _ http.ResponseWriter, r *http.Request) result {
		got, _ = pprof.Label(r.Context(), "endpoint")
		return result{status: 200}
	})
	do(fn, "GET", "/", "", nil)
	if _, ok := pprof.Label(context.Background(), "endpoint"); ok || got != "orders" {
		t.Fatalf("label %q", got)
	}
}
