// Command healthcheck is the container health probe for the reference service images.
//
// The runtime images are distroless (no shell, no curl, no wget), so Docker's HEALTHCHECK and Compose's
// healthcheck need a binary of their own: this one GETs one URL with a short timeout and exits 0 on a
// 2xx answer, 1 otherwise, printing one line either way. Standard library only, built with
// CGO_ENABLED=0 so the same static file runs in both images.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	url := "http://127.0.0.1:8080/healthz"
	if len(os.Args) > 1 {
		url = os.Args[1]
	}
	os.Exit(check(url, 2*time.Second))
}

func check(url string, timeout time.Duration) int {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "healthcheck: %s: %v\n", url, err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(os.Stderr, "healthcheck: %s: %v\n", url, err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		fmt.Fprintf(os.Stderr, "healthcheck: %s: HTTP %d\n", url, resp.StatusCode)
		return 1
	}
	fmt.Printf("healthcheck: %s: HTTP %d\n", url, resp.StatusCode)
	return 0
}
