package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"hotswap.local/service/internal/hotspot"
)

func noEnv(string) string { return "" }

func TestBadFlagsExit2WithOneLine(t *testing.T) {
	for _, args := range [][]string{{"-rust-share", "x"}, {"-rust-share", "101"}, {"-impl", "java"}, {"-max-body", "0"}, {"-nope"}} {
		var errBuf strings.Builder
		if code := run(args, noEnv, io.Discard, &errBuf); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
		if errBuf.Len() == 0 {
			t.Errorf("%v: no message", args)
		}
	}
}

func TestImplRustOnTheBaselineExits2(t *testing.T) {
	if hotspot.Available {
		t.Skip("this is the rust build")
	}
	var errBuf strings.Builder
	if code := run([]string{"-impl", "rust"}, noEnv, io.Discard, &errBuf); code != 2 || !strings.Contains(errBuf.String(), "baseline") {
		t.Fatalf("exit %d: %s", code, errBuf.String())
	}
}

func TestSIGTERMDrainsInFlightRequestsAndExits0(t *testing.T) {
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"-addr", "127.0.0.1:0", "-downstream-ms", "400"}, noEnv, pw, io.Discard)
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on 127.0.0.1:") {
		t.Fatalf("first line %q, %v", line, err)
	}
	url := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening on ")) + "/v1/orders/1"
	status := make(chan int, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			status <- -1
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	time.Sleep(150 * time.Millisecond) // the request is now waiting on the simulated downstream
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if s := <-status; s != 200 {
		t.Fatalf("in-flight request got %d during the drain", s)
	}
	if c := <-code; c != 0 {
		t.Fatalf("exit code %d after SIGTERM", c)
	}
}

func TestAnAddressInUseExits3(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var errBuf strings.Builder
	if code := run([]string{"-addr", ln.Addr().String()}, noEnv, io.Discard, &errBuf); code != 3 || !strings.Contains(errBuf.String(), "cannot listen") {
		t.Fatalf("exit %d: %s", code, errBuf.String())
	}
}

// TestPprofIsServedOnItsLoopbackListenerOnlyNeverOnThePublicPort starts the service with
// -pprof-addr 127.0.0.1:0: the pprof listener answers /debug/pprof/, the public port answers 404 there.
func TestPprofIsServedOnItsLoopbackListenerOnlyNeverOnThePublicPort(t *testing.T) {
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"-addr", "127.0.0.1:0", "-pprof-addr", "127.0.0.1:0"}, noEnv, pw, io.Discard)
	}()
	rd := bufio.NewReader(pr)
	public, err := rd.ReadString('\n')
	if err != nil || !strings.HasPrefix(public, "listening on 127.0.0.1:") {
		t.Fatalf("first line %q, %v", public, err)
	}
	pp, err := rd.ReadString('\n')
	if err != nil || !strings.HasPrefix(pp, "pprof on http://127.0.0.1:") {
		t.Fatalf("second line %q, %v", pp, err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	get := func(url string) int {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	pubURL := "http://" + strings.TrimSpace(strings.TrimPrefix(public, "listening on "))
	ppURL := strings.TrimSpace(strings.TrimPrefix(pp, "pprof on "))
	if s := get(ppURL); s != 200 {
		t.Errorf("pprof listener answered %d", s)
	}
	if s := get(ppURL + "goroutine?debug=1"); s != 200 {
		t.Errorf("pprof goroutine profile answered %d", s)
	}
	for _, p := range []string{"/debug/pprof/", "/debug/pprof/profile?seconds=1", "/debug/pprof/goroutine"} {
		if s := get(pubURL + p); s != 404 {
			t.Errorf("public port answered %d for %s", s, p)
		}
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if c := <-code; c != 0 {
		t.Fatalf("exit %d", c)
	}
}

func TestNewFlagsAreCheckedWithExit2(t *testing.T) {
	for _, args := range [][]string{
		{"-pprof-addr", "0.0.0.0:0"}, {"-pprof-addr", ":6060"}, {"-pprof-addr", "example.org:6060"},
		{"-breaker-error-rate", "0"}, {"-breaker-error-rate", "1.5"}, {"-breaker-min-calls", "0"},
		{"-breaker-window", "0s"}, {"-breaker-open-for", "-1s"}, {"-breaker-half-open-calls", "0"},
		{"-shadow-percent", "101"}, {"-breaker-window", "ten"},
	} {
		var errBuf strings.Builder
		if code := run(args, noEnv, io.Discard, &errBuf); code != 2 || errBuf.Len() == 0 {
			t.Errorf("%v: exit %d, %q", args, code, errBuf.String())
		}
	}
}
