package server

import (
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
	}
	reg.MustRegister(
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(collectors.MetricsGC)),
		m.requests, m.duration, m.fallbacks, m.cgoCalls, m.share, m.implInfo,
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hotswap_rust_alloc_bytes_total",
			Help: "Bytes allocated by the Rust crate (its counting global allocator; Go's heap metrics cannot see them).",
		}, func() float64 { return float64(hotspot.AllocBytes()) }),
	)
	for _, e := range []string{"scan", "fields", "orders"} {
		m.cgoCalls.WithLabelValues(e)
		m.fallbacks.WithLabelValues(e, "panic")
		m.fallbacks.WithLabelValues(e, "error")
		for _, impl := range []string{"go", "rust", "go-fallback"} {
			m.requests.WithLabelValues(e, impl, "ok")
		}
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
