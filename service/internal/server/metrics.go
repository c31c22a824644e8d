package server

import (
	"math"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"hotswap.local/service/internal/hotspot"
)

// metrics are the service's own counters beside client_golang's process and Go collectors. The Go
// collector exports the runtime/metrics GC group too, which gives the go_gc_pauses_seconds histogram.
type metrics struct {
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	fallbacks *prometheus.CounterVec
	cgoCalls  *prometheus.CounterVec
	share     prometheus.Gauge
	implInfo  *prometheus.GaugeVec

	httpDuration       *prometheus.HistogramVec
	breakerTransitions *prometheus.CounterVec
	faultRate          prometheus.Gauge
	shadow             *prometheus.CounterVec
	shadowSeconds      *prometheus.HistogramVec
}

// LatencyBuckets are http_request_duration_seconds' upper bounds: geometric, 5 % apart from 1 ms to
// 100 ms (the plans' p99 SLOs are 50 and 100 ms; the endpoints' p99s fall between 1 and 60 ms), so
// histogram_quantile's linear interpolation inside one bucket is off by less than 5 % of the value and,
// for smooth latency densities, by well under 2 % (TestLatencyBucketsReadP99WithinAFewPercent); 25 %
// apart below (50 µs..1 ms) and above (to 10 s). The round SLO values (1, 2, 5, 10, 20, 25, 50, 100,
// 200, 250, 500 ms, 1, 2, 5, 10 s) are bounds too, so "share of requests under the SLO" is exact.
// Bounds are rounded to 3 significant digits; 139 of them (about 12 KB of /metrics text per series).
var LatencyBuckets = latencyBuckets()

func latencyBuckets() []float64 {
	round := []float64{1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10}
	b := slices.Clone(round)
	add := func(v float64) {
		// A geometric step next to a round value (within 1 %) gives way to it.
		if !slices.ContainsFunc(round, func(r float64) bool { return math.Abs(v/r-1) < 0.01 }) {
			b = append(b, roundSig(v, 3))
		}
	}
	for v := 50e-6; v < 1e-3; v *= 1.25 {
		add(v)
	}
	for v := 1e-3; v < 0.1; v *= 1.05 {
		add(v)
	}
	for v := 0.1; v < 10; v *= 1.25 {
		add(v)
	}
	slices.Sort(b)
	return slices.Compact(b)
}

func roundSig(v float64, digits int) float64 {
	if v == 0 {
		return 0
	}
	scale := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*scale) / scale
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotswap_requests_total", Help: "Requests by endpoint, implementation that served them and outcome.",
		}, []string{"endpoint", "impl", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hotswap_hotspot_duration_seconds", Help: "Time spent in the hotspot kernel per request.",
			Buckets: prometheus.ExponentialBuckets(1e-6, 2, 24),
		}, []string{"endpoint", "impl"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotswap_fallbacks_total", Help: "Rust calls that failed and were served by Go instead.",
		}, []string{"endpoint", "reason"}),
		cgoCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotswap_cgo_calls_total", Help: "Crossings from Go into the Rust crate.",
		}, []string{"endpoint"}),
		share: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hotswap_rust_share", Help: "Percent of hotspot calls sent to Rust when impl=rust.",
		}),
		implInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "hotswap_impl_info", Help: "1 for the implementation currently selected.",
		}, []string{"impl"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time from the handler's start to the response's last byte written, by endpoint and the path that served it (go, rust, go-fallback, go-breaker).",
			Buckets: LatencyBuckets,
		}, []string{"endpoint", "impl"}),
		breakerTransitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotswap_breaker_transitions_total", Help: "Breaker state changes, by the state entered.",
		}, []string{"to"}),
		faultRate: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hotswap_fault_rate", Help: "Injected failure share of Rust calls (drills; needs -allow-fault-injection).",
		}),
		shadow: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotswap_shadow_total", Help: "Shadow comparisons (Go answers, Rust runs beside it), by endpoint and outcome.",
		}, []string{"endpoint", "outcome"}),
		shadowSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hotswap_shadow_seconds", Help: "Kernel time of each side of a shadow comparison (rust: only calls that succeeded).",
			Buckets: prometheus.ExponentialBuckets(1e-6, 2, 24),
		}, []string{"endpoint", "impl"}),
	}
	reg.MustRegister(
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(collectors.MetricsGC)),
		m.requests, m.duration, m.fallbacks, m.cgoCalls, m.share, m.implInfo,
		m.httpDuration, m.breakerTransitions, m.faultRate, m.shadow, m.shadowSeconds,
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hotswap_rust_alloc_bytes_total",
			Help: "Bytes allocated by the Rust crate (its counting global allocator; Go's heap metrics cannot see them).",
		}, func() float64 { return float64(hotspot.AllocBytes()) }),
	)
	for _, e := range []string{"scan", "fields", "orders"} {
		m.cgoCalls.WithLabelValues(e)
		m.fallbacks.WithLabelValues(e, "panic")
		m.fallbacks.WithLabelValues(e, "error")
		m.fallbacks.WithLabelValues(e, "injected")
		if hotspot.Available {
			for _, o := range []string{"match", "mismatch", "rust_error"} {
				m.shadow.WithLabelValues(e, o)
			}
		}
		for _, impl := range []string{"go", "rust", "go-fallback", "go-breaker"} {
			m.requests.WithLabelValues(e, impl, "ok")
		}
	}
	for _, to := range []string{"open", "half_open", "closed"} {
		m.breakerTransitions.WithLabelValues(to)
	}
	return m
}

func (m *metrics) setState(impl string, share int) {
	m.share.Set(float64(share))
	for _, i := range []string{"go", "rust"} {
		v := 0.0
		if i == impl {
			v = 1
		}
		m.implInfo.WithLabelValues(i).Set(v)
	}
}
