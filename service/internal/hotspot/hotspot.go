// Package hotspot is the boundary to the Rust crate (service/hotspot). Under the build tag
// `rusthotspot` it calls the crate through cgo (rust.go); without it a pure-Go stub (stub.go) reports
// the crate unavailable, so the baseline binary builds with CGO_ENABLED=0. Callers fall back to the Go
// kernels (internal/kernel) whenever a call here returns an error.
package hotspot

import (
	"errors"
	"fmt"
)

// Error is a failed Rust call; Reason is the metric label of the fallback it causes.
type Error struct {
	Code int32
}

// Status codes, as in hotspot.h.
const (
	codeOK          = 0
	codeShortBuffer = 1
	codePanic       = -1
	codeArgument    = -2
	codeInjected    = -3
)

func (e *Error) Error() string { return fmt.Sprintf("rust hotspot: %s (code %d)", e.Reason(), e.Code) }

// Reason is a short label: panic, argument, injected or error.
func (e *Error) Reason() string {
	switch e.Code {
	case codePanic:
		return "panic"
	case codeArgument:
		return "argument"
	case codeInjected:
		return "injected"
	}
	return "error"
}

// ErrUnavailable is returned by every call in a build without the Rust crate.
var ErrUnavailable = errors.New("rust hotspot: not in this build (build tag rusthotspot)")

// Reason returns the fallback label for any error from this package.
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason()
	}
	if errors.Is(err, ErrUnavailable) {
		return "unavailable"
	}
	return "error"
}
