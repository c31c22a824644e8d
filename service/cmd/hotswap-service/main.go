// Command hotswap-service is hotswap's reference service: one Go source tree built two ways, the
// pure-Go baseline (CGO_ENABLED=0) and the Rust-hotspot build (-tags rusthotspot, cgo). See
// service/README.md; the flags are listed by -help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"hotswap.local/service/internal/breaker"
	"hotswap.local/service/internal/hotspot"
	"hotswap.local/service/internal/server"
)

// drainTimeout bounds how long SIGTERM waits for in-flight requests.
const drainTimeout = 30 * time.Second

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// run parses flags, serves until SIGTERM/SIGINT and returns the exit code: 0 after a clean drain,
// 2 for bad flags, 3 when an address cannot be bound.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	defImpl := "go"
	if hotspot.Available {
		defImpl = "rust"
	}
	fs := flag.NewFlagSet("hotswap-service", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, "HOTSWAP_ADDR", "127.0.0.1:8080"), "listen address (port 0: pick a free port; env HOTSWAP_ADDR)")
	impl := fs.String("impl", envOr(getenv, "HOTSWAP_IMPL", defImpl), "hotspot implementation: go or rust (env HOTSWAP_IMPL)")
	shareStr := fs.String("rust-share", envOr(getenv, "HOTSWAP_RUST_SHARE", "100"), "percent of hotspot calls sent to Rust when impl=rust, 0..100 (env HOTSWAP_RUST_SHARE)")
	token := fs.String("admin-token", getenv("HOTSWAP_ADMIN_TOKEN"), "bearer token of GET and POST /admin/hotspot; empty disables it (env HOTSWAP_ADMIN_TOKEN)")
	maxBody := fs.Int64("max-body", 1<<20, "largest request body in bytes; larger ones get 413")
	seed := fs.Uint64("seed", 1, "seed of the simulated downstream jitter")
	downstream := fs.Float64("downstream-ms", 20, "median wait of the simulated downstream of /v1/orders, in ms")
	bw := fs.Duration("breaker-window", breaker.Defaults.Window, "sliding window of the Rust path's failure rate")
	bmin := fs.Int("breaker-min-calls", breaker.Defaults.MinCalls, "fewest Rust calls in the window before the breaker may open")
	brate := fs.Float64("breaker-error-rate", breaker.Defaults.ErrorRate, "failure share of Rust calls in the window that opens the breaker, (0,1]")
	bopen := fs.Duration("breaker-open-for", breaker.Defaults.OpenFor, "how long an open breaker sends all hotspot calls to Go before trying Rust again")
	bhalf := fs.Int("breaker-half-open-calls", breaker.Defaults.HalfOpenCalls, "trial Rust calls when half-open; that many successes close the breaker, one failure re-opens it")
	faults := fs.Bool("allow-fault-injection", false, "let POST /admin/hotspot set {\"faultRate\": 0..1} (drills); never on in production")
	shadow := fs.Int("shadow-percent", 0, "percent of the Go-served hotspot requests that also run Rust and compare (Go answers); rust build only")
	pprofAddr := fs.String("pprof-addr", "", "serve net/http/pprof on this loopback address (e.g. 127.0.0.1:0); empty: off. Never on the public port")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	share, err := strconv.Atoi(*shareStr)
	if err != nil {
		fmt.Fprintf(stderr, "hotswap-service: -rust-share must be an integer 0..100, got %q\n", *shareStr)
		return 2
	}
	if *maxBody <= 0 {
		fmt.Fprintf(stderr, "hotswap-service: -max-body must be positive, got %d\n", *maxBody)
		return 2
	}
	if *pprofAddr != "" && !loopbackAddr(*pprofAddr) {
		fmt.Fprintf(stderr, "hotswap-service: -pprof-addr must be a loopback address (127.0.0.1:PORT, [::1]:PORT or localhost:PORT), got %q\n", *pprofAddr)
		return 2
	}
	srv, err := server.New(server.Config{
		Impl: *impl, RustSharePercent: share, AdminToken: *token, MaxBodyBytes: *maxBody,
		Seed: *seed, DownstreamMs: *downstream, AllowFaultInjection: *faults, ShadowPercent: *shadow,
		Breaker: breaker.Config{Window: *bw, MinCalls: *bmin, ErrorRate: *brate, OpenFor: *bopen, HalfOpenCalls: *bhalf,
			Buckets: breaker.Defaults.Buckets},
	})
	if err != nil {
		fmt.Fprintf(stderr, "hotswap-service: %v\n", err)
		return 2
	}
	if getenv("HOTSWAP_TEST_FAULTS") == "1" {
		// Test-only: inputs holding HOTSWAP-TEST-PANIC / HOTSWAP-TEST-ERROR make the Rust side fail.
		hotspot.SetTestHooks(true)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "hotswap-service: cannot listen on %s: %v\n", *addr, err)
		return 3
	}
	fmt.Fprintf(stdout, "listening on %s\n", ln.Addr())
	if *pprofAddr != "" {
		pln, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "hotswap-service: cannot listen on %s for pprof: %v\n", *pprofAddr, err)
			return 3
		}
		defer pln.Close()
		// Not "listening on": start-up scripts take the first such line as the public port.
		fmt.Fprintf(stdout, "pprof on http://%s/debug/pprof/\n", pln.Addr())
		ps := &http.Server{Handler: pprofHandler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(stderr, "hotswap-service pprof: ", 0)}
		go func() { _ = ps.Serve(pln) }()
		defer ps.Close()
	}
	return serve(ln, srv.Handler(), stderr)
}

// loopbackAddr reports whether host:port names this machine only.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// pprofHandler is net/http/pprof on its own mux (the public mux never has it).
func pprofHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

func serve(ln net.Listener, h http.Handler, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(stderr, "hotswap-service: ", 0)}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "hotswap-service: %v\n", err)
		return 3
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "hotswap-service: signal received, draining in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "hotswap-service: drain incomplete: %v\n", err)
		return 3
	}
	return 0
}
