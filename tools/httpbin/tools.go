//go:build tools

// Package tools pins go-httpbin, the third-party Go HTTP service the tests trial through `kind: command`
// (a service nobody on this project wrote, with no Prometheus endpoint: its resource figures come from the OS).
package tools

import _ "github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin"
