//go:build rusthotspot

package hotspot

// The static library and its system libraries come from CGO_LDFLAGS, set by service/build.sh and
// service/test.sh from `cargo rustc --release -- --print native-static-libs` (service/lib.sh).

/*
#cgo CFLAGS: -I${SRCDIR}/../../hotspot/include
#include "hotspot.h"
*/
import "C"

import (
	"unsafe"

	"hotswap.local/service/internal/kernel"
)

// Available reports whether this build links the Rust crate.
const Available = true

// ptr returns a pointer to b's first byte without copying (nil for an empty slice). cgo's pointer
// rules allow it: the memory holds no Go pointers and Rust does not keep it past the call.
func ptr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
}

func check(rc C.int32_t) error {
	if rc == codeOK {
		return nil
	}
	return &Error{Code: int32(rc)}
}

// Noop crosses into Rust and back: the bare cost of a cgo call.
func Noop() int32 { return int32(C.hotspot_noop()) }

// Scan redacts in through the Rust kernel; counts must hold one entry per rule.
func Scan(in []byte, counts []uint32) ([]byte, error) {
	out := make([]byte, len(in)+len(in)/4+64)
	for {
		var n C.size_t
		rc := C.hotspot_scan(ptr(in), C.size_t(len(in)), ptr(out), C.size_t(len(out)), &n,
			(*C.uint32_t)(unsafe.Pointer(unsafe.SliceData(counts))), C.size_t(len(counts)))
		if rc == codeShortBuffer {
			out = make([]byte, int(n))
			continue
		}
		if err := check(rc); err != nil {
			return nil, err
		}
		return out[:n], nil
	}
}

// Field normalises one value through the Rust kernel into out's storage (grown to len(v) if needed).
func Field(v, out []byte) ([]byte, kernel.Kind, error) {
	if cap(out) < len(v) {
		out = make([]byte, len(v))
	}
	out = out[:cap(out)]
	var n C.size_t
	var kind C.uint8_t
	rc := C.hotspot_field(ptr(v), C.size_t(len(v)), ptr(out), C.size_t(len(out)), &n, &kind)
	if err := check(rc); err != nil {
		return nil, 0, err
	}
	return out[:n], kernel.Kind(kind), nil
}

// FieldsBatch normalises all values in one crossing: they are packed into one buffer with end offsets.
func FieldsBatch(values [][]byte) ([][]byte, []kernel.Kind, error) {
	total := 0
	for _, v := range values {
		total += len(v)
	}
	in := make([]byte, 0, total)
	ends := make([]uint32, len(values))
	for i, v := range values {
		in = append(in, v...)
		ends[i] = uint32(len(in))
	}
	out := make([]byte, total)
	outEnds := make([]uint32, len(values))
	kinds := make([]kernel.Kind, len(values))
	var endsPtr, outEndsPtr *C.uint32_t
	var kindsPtr *C.uint8_t
	if len(values) > 0 {
		endsPtr = (*C.uint32_t)(unsafe.Pointer(&ends[0]))
		outEndsPtr = (*C.uint32_t)(unsafe.Pointer(&outEnds[0]))
		kindsPtr = (*C.uint8_t)(unsafe.Pointer(&kinds[0]))
	}
	rc := C.hotspot_fields_batch(ptr(in), C.size_t(len(in)), endsPtr, C.size_t(len(values)),
		ptr(out), C.size_t(len(out)), outEndsPtr, kindsPtr)
	if err := check(rc); err != nil {
		return nil, nil, err
	}
	res := make([][]byte, len(values))
	start := uint32(0)
	for i, end := range outEnds {
		res[i] = out[start:end:end]
		start = end
	}
	return res, kinds, nil
}

// Order runs the orders kernel in Rust.
func Order(id []byte) ([3]uint64, error) {
	var r [3]uint64
	rc := C.hotspot_order(ptr(id), C.size_t(len(id)), (*C.uint64_t)(unsafe.Pointer(&r[0])))
	return r, check(rc)
}

// AllocBytes is the total the Rust crate's counting allocator has seen.
func AllocBytes() uint64 { return uint64(C.hotspot_alloc_bytes_total()) }

// SetTestHooks turns the crate's test-only fault injection on or off.
func SetTestHooks(enabled bool) {
	v := C.int32_t(0)
	if enabled {
		v = 1
	}
	C.hotspot_set_test_hooks(v)
}

// RuleCount compiles the Rust rule table (on first use) and returns its size.
func RuleCount() int { return int(C.hotspot_rule_count()) }
