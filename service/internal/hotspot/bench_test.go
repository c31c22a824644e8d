//go:build rusthotspot

package hotspot

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"hotswap.local/service/internal/kernel"
)

// The kernels side by side: Go, Rust through cgo, and the bare cgo call. Names follow benchstat's
// key=value convention, so `benchstat -col /impl` puts the implementations in columns.

func BenchmarkCgoNoop(b *testing.B) {
	for b.Loop() {
		Noop()
	}
}

func BenchmarkScan(b *testing.B) {
	for _, size := range []int{4 << 10, 16 << 10, 64 << 10} {
		body := normalBody(rand.New(rand.NewPCG(1, uint64(size))), size, 5)[:size]
		counts := make([]uint32, len(kernel.Rules))
		b.Run(fmt.Sprintf("size=%dKB/impl=go", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				kernel.Scan(body, counts)
			}
		})
		b.Run(fmt.Sprintf("size=%dKB/impl=rust", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				if _, err := Scan(body, counts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchFields are twenty short values, as one /v1/fields request carries.
var benchFields = func() [][]byte {
	vals := [][]byte{
		[]byte(" Ada.Lovelace@Example.org "), []byte("+44 (20) 7946-0958"), []byte("Ada"), []byte("Lovelace"),
		[]byte("12 St James's Square"), []byte("London"), []byte("SW1Y 4JH"), []byte("GB"), []byte("-12.50"),
		[]byte("1815-12-10"), []byte("analyst"), []byte("  note  with   spaces "), []byte("42"), []byte("true"),
		[]byte("EUR"), []byte("en-GB"), []byte("x@y.io"), []byte("415.555.0100"), []byte("ok"), []byte("7"),
	}
	return vals
}()

func BenchmarkFields(b *testing.B) {
	b.Run("impl=go", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			for _, v := range benchFields {
				buf, _ = kernel.NormalizeField(v, buf)
			}
		}
	})
	b.Run("impl=rust", func(b *testing.B) {
		buf := make([]byte, 64)
		for b.Loop() {
			for _, v := range benchFields {
				if _, _, err := Field(v, buf); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("impl=rust-batch", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := FieldsBatch(benchFields); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkOrders(b *testing.B) {
	id := []byte("order-000042")
	b.Run("impl=go", func(b *testing.B) {
		for b.Loop() {
			kernel.Order(id)
		}
	})
	b.Run("impl=rust", func(b *testing.B) {
		for b.Loop() {
			if _, err := Order(id); err != nil {
				b.Fatal(err)
			}
		}
	})
}
