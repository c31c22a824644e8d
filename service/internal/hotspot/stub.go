//go:build !rusthotspot

package hotspot

import "hotswap.local/service/internal/kernel"

// Available reports whether this build links the Rust crate.
const Available = false

// Noop would cross into Rust and back.
func Noop() int32 { return 0 }

// Scan is unavailable without the Rust crate.
func Scan(in []byte, counts []uint32) ([]byte, error) { return nil, ErrUnavailable }

// Field is unavailable without the Rust crate.
func Field(v, out []byte) ([]byte, kernel.Kind, error) { return nil, 0, ErrUnavailable }

// FieldsBatch is unavailable without the Rust crate.
func FieldsBatch(values [][]byte) ([][]byte, []kernel.Kind, error) { return nil, nil, ErrUnavailable }

// Order is unavailable without the Rust crate.
func Order(id []byte) ([3]uint64, error) { return [3]uint64{}, ErrUnavailable }

// AllocBytes is the Rust crate's allocated bytes: none here.
func AllocBytes() uint64 { return 0 }

// SetTestHooks does nothing without the Rust crate.
func SetTestHooks(enabled bool) {}

// RuleCount is the Rust rule table size: none here.
func RuleCount() int { return 0 }
